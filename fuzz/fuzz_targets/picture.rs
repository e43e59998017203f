//! A fetched picture's bytes, whatever they are: decoding refuses what is not PNG, JPEG,
//! WebP or GIF, refuses more than `MAX_PIXELS` from the header, never panics, and what it
//! decodes fits to a slot. Oracles: no panic, the pixel cap, the decode budget's
//! reckoning (`decode_cost`, from the header alone) at least the bytes the decoded
//! picture holds, a 3 s backstop per input, and libFuzzer's RSS limit (`-rss_limit_mb`, 2 GB by default) against the decoder's
//! allocation cap.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use ogcard::pictures::decode::{decode_any, decode_cost, fit, Fit, MAX_PIXELS};

fuzz_target!(|data: &[u8]| {
    let started = Instant::now();
    if let Ok(picture) = decode_any(data) {
        let pixels = u64::from(picture.width()) * u64::from(picture.height());
        assert!(pixels <= MAX_PIXELS, "decoded {pixels} pixels");
        let held = picture.as_bytes().len() as u64;
        let cost = decode_cost(data, 96, 64).expect("what decodes has a cost");
        assert!(cost >= held, "charged {cost} bytes, holds {held}");
        let fit_as = if data.len() % 2 == 0 {
            Fit::Cover
        } else {
            Fit::Contain
        };
        let fitted = fit(picture, 96, 64, fit_as).expect("a decoded picture fits");
        assert_eq!((fitted.width(), fitted.height()), (96, 64));
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{} bytes took {:?}",
        data.len(),
        started.elapsed()
    );
});
