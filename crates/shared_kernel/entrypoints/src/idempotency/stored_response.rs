//! Between responses and the answers kept of them.

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use shared_kernel_application::InfrastructureError;
use shared_kernel_application::idempotency::StoredAnswer;

use super::IDEMPOTENT_REPLAYED;

/// The headers that belong to an answer: what it is, where it put the resource, which version
/// of it. The others are the request's (`X-Request-Id`) or the moment's (`Date`), and each
/// answer gets its own.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

const KEEPING: &str = "keeping the answer of an idempotent request";
const REPLAYING: &str = "replaying the answer of an idempotent request";

/// The answer `response` gives, to keep.
pub(super) fn stored(response: HttpResponse) -> Result<StoredAnswer, InfrastructureError> {
    let status = response.status().as_u16();
    let mut headers = Vec::new();
    for name in KEPT_HEADERS {
        if let Some(value) = response.headers().get(&name) {
            let value = value
                .to_str()
                .map_err(InfrastructureError::during(KEEPING))?;
            headers.push((name.as_str().to_owned(), value.to_owned()));
        }
    }
    let body = response
        .into_body()
        .try_into_bytes()
        .map_err(|_| InfrastructureError::new(KEEPING, "the response's body is a stream"))?;
    Ok(StoredAnswer {
        status,
        headers,
        body: body.to_vec(),
    })
}

/// The response that gives `answer`, marked `Idempotent-Replayed: true` when `replayed`.
pub(super) fn response(
    answer: &StoredAnswer,
    replayed: bool,
) -> Result<HttpResponse, InfrastructureError> {
    let status =
        StatusCode::from_u16(answer.status).map_err(InfrastructureError::during(REPLAYING))?;
    let mut response = HttpResponse::build(status);
    for (name, value) in &answer.headers {
        let name =
            HeaderName::try_from(name.as_str()).map_err(InfrastructureError::during(REPLAYING))?;
        let value = HeaderValue::try_from(value.as_str())
            .map_err(InfrastructureError::during(REPLAYING))?;
        response.insert_header((name, value));
    }
    if replayed {
        response.insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")));
    }
    Ok(response.body(answer.body.clone()))
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use serde_json::json;

    use super::*;

    #[actix_web::test]
    async fn a_kept_answer_gives_back_its_status_headers_and_body() {
        let created = HttpResponse::Created()
            .insert_header((header::LOCATION, "/api/projects/1"))
            .insert_header((header::ETAG, "\"7\""))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(json!({"name": "Garden"}));

        let kept = stored(created).unwrap();
        let replayed = response(&kept, true).unwrap();

        assert_eq!(
            kept.headers,
            vec![
                ("content-type".to_owned(), "application/json".to_owned()),
                ("location".to_owned(), "/api/projects/1".to_owned()),
                ("etag".to_owned(), "\"7\"".to_owned()),
            ]
        );
        assert_eq!(replayed.status(), StatusCode::CREATED);
        assert_eq!(
            replayed.headers().get(header::LOCATION).unwrap(),
            "/api/projects/1"
        );
        assert_eq!(replayed.headers().get(header::ETAG).unwrap(), "\"7\"");
        assert_eq!(replayed.headers().get(IDEMPOTENT_REPLAYED).unwrap(), "true");
        assert!(replayed.headers().get(header::CACHE_CONTROL).is_none());
        let body = to_bytes(replayed.into_body()).await.unwrap();
        assert_eq!(body.as_ref(), br#"{"name":"Garden"}"#);
    }

    #[test]
    fn a_fresh_answer_is_not_marked_replayed() {
        let kept = stored(HttpResponse::NotFound().finish()).unwrap();
        let fresh = response(&kept, false).unwrap();
        assert_eq!(fresh.status(), StatusCode::NOT_FOUND);
        assert!(fresh.headers().get(IDEMPOTENT_REPLAYED).is_none());
    }
}
