//! The platform files as operators use them: render.yaml, fly.toml, deploy/compose.yaml
//! and deploy/kubernetes.yaml are parsed, and every path, port, probe and variable they
//! name is checked against the real binary started with their environment.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::*;
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &str) -> Vec<Yaml> {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn str_of(y: &Yaml) -> String {
    match y {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// The binary as a platform starts it: the file's environment, `$PORT` set (moved to a
/// free port: the file's own port is checked against its other fields separately) and
/// nothing else of ours.
async fn start_as_platform(env: &[(String, String)]) -> Spawned {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ogcard"));
    command
        .env_remove("OGCARD_LISTEN")
        .envs(env.iter().filter(|(k, _)| k != "PORT").map(|(k, v)| (k, v)))
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn");
    spawn_listening(command, port).await
}

async fn answers_200(server: &Spawned, path: &str) {
    let res = raw_request(server.addr, "GET", path, &[]).await;
    assert_eq!(
        res.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&res.body)
    );
}

#[tokio::test]
async fn render_blueprint() {
    let doc = &yaml("render.yaml")[0];
    let web = &doc["services"][0];
    assert_eq!(web["type"].as_str(), Some("web"));
    assert_eq!(web["runtime"].as_str(), Some("docker"));
    let dockerfile = web["dockerfilePath"].as_str().unwrap();
    assert!(repo().join(dockerfile).is_file(), "{dockerfile}");
    let mut env = Vec::new();
    let mut signing_key_is_secret = false;
    for var in web["envVars"].as_vec().unwrap() {
        let key = var["key"].as_str().unwrap().to_string();
        if key == "OGCARD_SIGNING_KEY" {
            // Asked for in the dashboard, never written in the file.
            signing_key_is_secret =
                var["sync"].as_bool() == Some(false) && var["value"].is_badvalue();
            continue;
        }
        env.push((key, str_of(&var["value"])));
    }
    assert!(signing_key_is_secret, "OGCARD_SIGNING_KEY with sync: false");
    // Render sets $PORT: the server must listen there, with no flag of ours.
    let server = start_as_platform(&env).await;
    answers_200(&server, web["healthCheckPath"].as_str().unwrap()).await;
    assert_serves_the_seed_card(server.addr).await;
}

#[tokio::test]
async fn fly_toml() {
    let text = std::fs::read_to_string(repo().join("fly.toml")).unwrap();
    let fly: toml::Table = text.parse().unwrap();
    let dockerfile = fly["build"]["dockerfile"].as_str().unwrap();
    assert!(repo().join(dockerfile).is_file());
    let env: Vec<(String, String)> = fly["env"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let var = |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("fly.toml [env] {name}"))
    };
    let http = &fly["http_service"];
    assert_eq!(
        http["internal_port"].as_integer().unwrap().to_string(),
        var("PORT"),
        "Fly sends to internal_port: the server must listen there"
    );
    // Concurrency: requests Fly lets in never exceed the connections we accept, and a
    // machine's render slots are its CPUs.
    let concurrency = &http["concurrency"];
    assert_eq!(concurrency["type"].as_str(), Some("requests"));
    let (soft, hard) = (
        concurrency["soft_limit"].as_integer().unwrap(),
        concurrency["hard_limit"].as_integer().unwrap(),
    );
    assert!(soft <= hard);
    assert!(hard <= var("OGCARD_MAX_CONNECTIONS").parse::<i64>().unwrap());
    let cpus = fly["vm"][0]["cpus"].as_integer().unwrap();
    assert_eq!(var("OGCARD_RENDER_CONCURRENCY"), cpus.to_string());
    assert_eq!(
        http["min_machines_running"].as_integer(),
        Some(1),
        "no cold starts"
    );
    let server = start_as_platform(&env).await;
    for check in http["checks"].as_array().unwrap() {
        assert_eq!(check["method"].as_str(), Some("GET"));
        answers_200(&server, check["path"].as_str().unwrap()).await;
    }
    assert_serves_the_seed_card(server.addr).await;
}

#[tokio::test]
async fn compose_with_nginx() {
    let doc = &yaml("deploy/compose.yaml")[0];
    let base = repo().join("deploy");
    let ogcard = &doc["services"]["ogcard"];
    let context = base.join(ogcard["build"]["context"].as_str().unwrap());
    assert!(context
        .join(ogcard["build"]["dockerfile"].as_str().unwrap())
        .is_file());
    let env_of = |service: &Yaml| -> Vec<(String, String)> {
        service["environment"]
            .as_hash()
            .unwrap()
            .iter()
            .map(|(k, v)| (str_of(k), str_of(v)))
            .collect()
    };
    let ogcard_env = env_of(ogcard);
    let port = ogcard_env
        .iter()
        .find(|(k, _)| k == "PORT")
        .unwrap()
        .1
        .clone();

    // nginx: the snippet tests/nginx.rs runs, with every variable it needs set.
    let nginx = &doc["services"]["nginx"];
    let nginx_env = env_of(nginx);
    let volume = nginx["volumes"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .find(|v| v.contains("/etc/nginx/templates/"))
        .expect("the snippet mounted as an nginx template");
    let source = volume.split(':').next().unwrap();
    let template = std::fs::read_to_string(base.join(source)).unwrap();
    assert_eq!(
        template,
        include_str!("../deploy/nginx/ogcard.conf.template"),
        "the file tests/nginx.rs runs"
    );
    let vars: Vec<(&str, &str)> = nginx_env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let filled = fill_template(&template, &vars);
    assert!(filled.contains("proxy_cache_lock on;"));
    assert!(filled.contains("proxy_cache_use_stale"));
    let upstream = &nginx_env
        .iter()
        .find(|(k, _)| k == "OGCARD_UPSTREAM")
        .unwrap()
        .1;
    assert_eq!(
        upstream,
        &format!("ogcard:{port}"),
        "nginx sends where ogcard listens"
    );
    let listen = &nginx_env
        .iter()
        .find(|(k, _)| k == "NGINX_LISTEN")
        .unwrap()
        .1;
    let published = str_of(&nginx["ports"][0]);
    assert!(
        published.ends_with(&format!(":{listen}")),
        "{published} → {listen}"
    );
    assert_eq!(
        nginx["depends_on"]["ogcard"]["condition"].as_str(),
        Some("service_healthy")
    );

    // ogcard: its environment works, and the image's HEALTHCHECK passes against it.
    let server = start_as_platform(&ogcard_env).await;
    let health = Command::new(env!("CARGO_BIN_EXE_ogcard"))
        .arg("healthcheck")
        .env_remove("OGCARD_LISTEN")
        .env("PORT", server.addr.port().to_string())
        .status()
        .unwrap();
    assert!(health.success());
    assert_serves_the_seed_card(server.addr).await;
    let grace = ogcard::config::parse_duration(ogcard["stop_grace_period"].as_str().unwrap());
    assert!(
        grace.unwrap() >= Duration::from_secs(35),
        "covers the 30 s shutdown timeout"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubernetes_manifests() {
    let docs = yaml("deploy/kubernetes.yaml");
    let kind = |k: &str| {
        docs.iter()
            .find(|d| d["kind"].as_str() == Some(k))
            .unwrap_or_else(|| panic!("a {k}"))
    };
    let deployment = kind("Deployment");
    let pod = &deployment["spec"]["template"]["spec"];
    let labels = &deployment["spec"]["selector"]["matchLabels"];
    assert_eq!(
        &deployment["spec"]["template"]["metadata"]["labels"],
        labels
    );

    // The "restricted" Pod Security Standard.
    let pod_security = &pod["securityContext"];
    assert_eq!(pod_security["runAsNonRoot"].as_bool(), Some(true));
    assert_eq!(
        pod_security["seccompProfile"]["type"].as_str(),
        Some("RuntimeDefault")
    );
    assert_eq!(
        pod_security["runAsUser"].as_i64(),
        Some(65532),
        "the image's nonroot"
    );
    let container = &pod["containers"][0];
    let security = &container["securityContext"];
    assert_eq!(security["allowPrivilegeEscalation"].as_bool(), Some(false));
    assert_eq!(security["readOnlyRootFilesystem"].as_bool(), Some(true));
    assert!(security["capabilities"]["drop"]
        .as_vec()
        .unwrap()
        .contains(&Yaml::String("ALL".into())));

    // Ports: the one the server listens on, named by the probes and the Service.
    let env: Vec<(String, String)> = container["env"]
        .as_vec()
        .unwrap()
        .iter()
        .filter(|e| !e["value"].is_badvalue())
        .map(|e| (str_of(&e["name"]), str_of(&e["value"])))
        .collect();
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let container_port = &container["ports"][0];
    let port_name = container_port["name"].as_str().unwrap();
    let port = container_port["containerPort"].as_i64().unwrap();
    assert_eq!(var("PORT"), Some(port.to_string()));
    assert_eq!(
        kind("Service")["spec"]["ports"][0]["targetPort"].as_str(),
        Some(port_name)
    );
    let annotations = &deployment["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(str_of(&annotations["prometheus.io/port"]), port.to_string());

    // Shutdown: the grace period covers the drain and the shutdown timeout.
    let drain = ogcard::config::parse_duration(&var("OGCARD_DRAIN_SECONDS").unwrap()).unwrap();
    let shutdown =
        ogcard::config::parse_duration(&var("OGCARD_SHUTDOWN_TIMEOUT").unwrap()).unwrap();
    let grace = Duration::from_secs(pod["terminationGracePeriodSeconds"].as_i64().unwrap() as u64);
    assert!(drain <= shutdown && shutdown + Duration::from_secs(5) <= grace);
    let pdb = kind("PodDisruptionBudget");
    assert_eq!(&pdb["spec"]["selector"]["matchLabels"], labels);
    assert!(pdb["spec"]["minAvailable"].as_i64().unwrap() >= 1);
    assert!(
        deployment["spec"]["replicas"].as_i64().unwrap()
            > pdb["spec"]["minAvailable"].as_i64().unwrap()
    );

    // Every probe answers on the real server run with the container's environment.
    let server = start_as_platform(&env).await;
    for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["port"].as_str(), Some(port_name), "{probe}");
        answers_200(&server, get["path"].as_str().unwrap()).await;
    }
    answers_200(&server, annotations["prometheus.io/path"].as_str().unwrap()).await;
    assert_serves_the_seed_card(server.addr).await;

    // SIGTERM: not ready at once, still serving through the drain, gone well within the
    // grace period.
    let started = std::time::Instant::now();
    terminate(&server);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ready = raw_request(server.addr, "GET", "/readyz", &[]).await;
    assert_eq!(ready.status, 503);
    assert_serves_the_seed_card(server.addr).await;
    let mut server = server;
    let exit = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success());
    assert!(started.elapsed() < grace);
}
