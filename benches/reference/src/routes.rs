//! The three routes: `/health` (for the script's start-up wait), the task page and the task
//! creation.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ReferenceError;
use crate::known_callers::KnownCallers;
use crate::store::{Added, NewTask, Store, now};
use crate::task_json::{page_json, task_json};

pub struct Reference {
    pub store: Store,
    pub decoding_key: DecodingKey,
    pub validation: Validation,
    pub known_callers: Arc<KnownCallers>,
}

/// The service's token rules: HS256, `exp`, `iat` and `sub` required, no leeway.
pub fn token_validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iat", "sub"]);
    validation.leeway = 0;
    validation
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    sid: Option<String>,
}

/// The caller's user id, when the bearer token verifies and its session is going.
async fn caller(
    reference: &Reference,
    request: &HttpRequest,
) -> Result<Option<Uuid>, ReferenceError> {
    let Some(token) = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        return Ok(None);
    };
    let Ok(token) =
        jsonwebtoken::decode::<Claims>(token, &reference.decoding_key, &reference.validation)
    else {
        return Ok(None);
    };
    let (Ok(user), Some(Ok(session))) = (
        token.claims.sub.parse::<Uuid>(),
        token.claims.sid.as_deref().map(str::parse::<Uuid>),
    ) else {
        return Ok(None);
    };
    if !reference.known_callers.contains((user, session)) {
        if !reference
            .store
            .session_is_active(user, session, Utc::now())
            .await?
        {
            return Ok(None);
        }
        reference.known_callers.remember((user, session));
    }
    Ok(Some(user))
}

fn with_request_id(mut response: HttpResponse, request_id: Uuid) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&request_id.to_string()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    response
}

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[derive(Deserialize)]
pub struct PageQuery {
    limit: Option<usize>,
}

pub async fn task_page(
    reference: web::Data<Reference>,
    request: HttpRequest,
    project: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ReferenceError> {
    let request_id = Uuid::now_v7();
    let Some(owner) = caller(&reference, &request).await? else {
        return Ok(with_request_id(
            HttpResponse::Unauthorized().finish(),
            request_id,
        ));
    };
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Ok(with_request_id(
            HttpResponse::UnprocessableEntity().finish(),
            request_id,
        ));
    }
    let response = match reference.store.task_page(owner, *project, limit).await? {
        None => HttpResponse::NotFound().finish(),
        Some(rows) => HttpResponse::Ok()
            .content_type("application/json")
            .body(page_json(rows, limit, Utc::now())),
    };
    Ok(with_request_id(response, request_id))
}

#[derive(Deserialize)]
pub struct NewTaskBody {
    name: String,
}

pub async fn add_task(
    reference: web::Data<Reference>,
    request: HttpRequest,
    project: web::Path<Uuid>,
    body: web::Json<NewTaskBody>,
) -> Result<HttpResponse, ReferenceError> {
    let request_id = Uuid::now_v7();
    let Some(owner) = caller(&reference, &request).await? else {
        return Ok(with_request_id(
            HttpResponse::Unauthorized().finish(),
            request_id,
        ));
    };
    let name = body.into_inner().name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(with_request_id(
            HttpResponse::UnprocessableEntity().finish(),
            request_id,
        ));
    }
    let project = project.into_inner();
    let now = now();
    let task = NewTask {
        owner,
        project,
        name,
        request_id,
        now,
    };
    let response = match reference.store.add_task(task).await? {
        Added::NoSuchProject => HttpResponse::NotFound().finish(),
        Added::Refused => HttpResponse::Conflict().finish(),
        Added::Task(row) => {
            let (body, tag) = task_json(&row, Utc::now());
            HttpResponse::Created()
                .insert_header((
                    header::LOCATION,
                    format!("/api/projects/{project}/tasks/{}", row.number),
                ))
                .insert_header((header::ETAG, tag))
                .content_type("application/json")
                .body(body)
        }
    };
    Ok(with_request_id(response, request_id))
}
