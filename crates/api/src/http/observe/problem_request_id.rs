//! Every problem-details body names the request it answers (`requestId`), so that a client
//! who reports an error hands over the key to its log lines.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::CONTENT_TYPE;
use shared_kernel_infrastructure::RequestId;

/// `response` with `"requestId"` added to its body when it is a problem.
pub fn stamp(response: ServiceResponse<BoxBody>, id: &RequestId) -> ServiceResponse<BoxBody> {
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == b"application/problem+json");
    if !is_problem {
        return response;
    }
    response.map_body(|_, body| match body.try_into_bytes() {
        Ok(bytes) => BoxBody::new(with_request_id(&bytes, id)),
        Err(body) => body,
    })
}

/// The JSON object `body` with a last member `"requestId"`. The id is 1 to 64 characters of
/// `[A-Za-z0-9._-]` (`RequestId::parse`), so it needs no escaping.
fn with_request_id(body: &[u8], id: &RequestId) -> Vec<u8> {
    let Some(open) = body.strip_suffix(b"}") else {
        return body.to_vec();
    };
    let mut stamped = Vec::with_capacity(body.len() + id.as_str().len() + 16);
    stamped.extend_from_slice(open);
    if open != b"{" {
        stamped.push(b',');
    }
    stamped.extend_from_slice(b"\"requestId\":\"");
    stamped.extend_from_slice(id.as_str().as_bytes());
    stamped.extend_from_slice(b"\"}");
    stamped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_id_as_the_last_member() {
        let id = RequestId::parse("req-1").unwrap();
        let stamped = with_request_id(br#"{"status":404,"code":"not_found"}"#, &id);
        let body: serde_json::Value = serde_json::from_slice(&stamped).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"status": 404, "code": "not_found", "requestId": "req-1"})
        );
        assert_eq!(with_request_id(b"{}", &id), br#"{"requestId":"req-1"}"#);
        assert_eq!(with_request_id(b"not json", &id), b"not json");
    }
}
