//! `Range` requests (RFC 9110 §14): one byte range of a cached body.
//!
//! Slack fetches previews with `Range`; a single range is answered with 206, an
//! unsatisfiable one with 416, anything else (several ranges, other units, bad syntax,
//! an `If-Range` that does not match) with the whole body, as the RFC allows.

use std::ops::Range;

use axum::http::{header, HeaderMap};

pub enum RangeRequest {
    Whole,
    Part(Range<usize>),
    Unsatisfiable,
}

pub fn requested_range(headers: &HeaderMap, etag: &str, len: usize) -> RangeRequest {
    let Some(value) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return RangeRequest::Whole;
    };
    if let Some(if_range) = headers.get(header::IF_RANGE) {
        // Strong comparison: only our exact current validator keeps the range.
        if if_range.to_str().ok() != Some(etag) {
            return RangeRequest::Whole;
        }
    }
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Whole;
    };
    let number = |s: &str| -> Option<usize> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<usize>().unwrap_or(usize::MAX))
    };
    match (number(first), number(last)) {
        // bytes=a-b and bytes=a-
        (Some(a), b) if last.trim().is_empty() || b.is_some() => {
            if let Some(b) = b {
                if b < a {
                    return RangeRequest::Whole;
                }
            }
            if a >= len {
                return RangeRequest::Unsatisfiable;
            }
            let end = b.map_or(len, |b| b.saturating_add(1).min(len));
            RangeRequest::Part(a..end)
        }
        // bytes=-n: the last n bytes
        (None, Some(n)) if first.trim().is_empty() => {
            if n == 0 || len == 0 {
                return RangeRequest::Unsatisfiable;
            }
            RangeRequest::Part(len - n.min(len)..len)
        }
        _ => RangeRequest::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str, len: usize) -> Result<Range<usize>, &'static str> {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, value.parse().unwrap());
        match requested_range(&h, "\"e\"", len) {
            RangeRequest::Whole => Err("whole"),
            RangeRequest::Unsatisfiable => Err("416"),
            RangeRequest::Part(r) => Ok(r),
        }
    }

    #[test]
    fn single_ranges() {
        assert_eq!(range("bytes=0-99", 1000), Ok(0..100));
        assert_eq!(range("bytes=900-", 1000), Ok(900..1000));
        assert_eq!(range("bytes=900-5000", 1000), Ok(900..1000));
        assert_eq!(range("bytes=-100", 1000), Ok(900..1000));
        assert_eq!(range("bytes=-5000", 1000), Ok(0..1000));
        assert_eq!(range("bytes=0-0", 1000), Ok(0..1));
    }

    #[test]
    fn unsatisfiable_and_ignored() {
        assert_eq!(range("bytes=1000-", 1000), Err("416"));
        assert_eq!(range("bytes=-0", 1000), Err("416"));
        assert_eq!(range("bytes=0-1,5-6", 1000), Err("whole"));
        assert_eq!(range("items=0-1", 1000), Err("whole"));
        assert_eq!(range("bytes=5-1", 1000), Err("whole"));
        assert_eq!(range("bytes=x-", 1000), Err("whole"));
        assert_eq!(range("bytes=99999999999999999999999-", 1000), Err("416"));
    }

    #[test]
    fn if_range_must_match() {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, "bytes=0-9".parse().unwrap());
        h.insert(header::IF_RANGE, "\"old\"".parse().unwrap());
        assert!(matches!(
            requested_range(&h, "\"e\"", 100),
            RangeRequest::Whole
        ));
        h.insert(header::IF_RANGE, "\"e\"".parse().unwrap());
        assert!(matches!(
            requested_range(&h, "\"e\"", 100),
            RangeRequest::Part(_)
        ));
    }
}
