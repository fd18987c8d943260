use actix_web::HttpRequest;

use crate::Problem;

/// The default service: a route that does not exist is a 404 problem, not an empty body.
pub async fn not_found(request: HttpRequest) -> Problem {
    Problem::not_found(format!("there is no route {}", request.path()))
}

/// A resource's default service: the path exists but not with this method. Names the
/// methods it does accept in `Allow`, as HTTP requires.
pub fn method_not_allowed(
    allowed: &'static [&'static str],
) -> impl Fn() -> std::future::Ready<Problem> + Clone {
    move || std::future::ready(Problem::method_not_allowed(allowed))
}
