//! A request path -> the current build's file as a response: a rendered file from memory
//! (pages get the reload script, and the error overlay while the build is broken), a static
//! file streamed from disk, a redirect to the folder's `/`, or the site's 404 page.

use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use super::body::Body;
use super::files::Wanted;
use super::paths::{mime_type, percent_encode, resolve_path};
use super::reload::{inject, root_relative};
use super::{Found, Generation, State};

/// The file `path` names in the current build, or why there is none.
pub(crate) fn answer(state: &State, path: &str, wanted: &Wanted) -> Response<Body> {
    let Some(generation) = state.current() else {
        let error = state.error();
        let error = error.as_deref().unwrap_or("the site could not be built");
        return error_page(error, 0);
    };
    let Some(key) = resolve_path(path) else {
        return not_found(state, &generation, wanted.head);
    };
    if !generation.has(&key) && generation.has(&format!("{key}/index.html")) {
        // Built from the resolved path, never the raw one: `//host` would leave the site.
        let location = format!("/{}/", percent_encode(&key));
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
        if let Ok(location) = HeaderValue::try_from(location) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    match generation.file(&key) {
        Some(Ok(found)) => file(state, &generation, &key, found, StatusCode::OK, wanted),
        Some(Err(error)) => {
            let message = error.to_string();
            eprintln!("{message}");
            error_page(&message, generation.number)
        }
        None => not_found(state, &generation, wanted.head),
    }
}

fn not_found(state: &State, generation: &Generation, head: bool) -> Response<Body> {
    let wanted = Wanted { range: None, head };
    match generation.file("404.html") {
        Some(Ok(found)) => file(
            state,
            generation,
            "404.html",
            found,
            StatusCode::NOT_FOUND,
            &wanted,
        ),
        _ => text(StatusCode::NOT_FOUND, "404: not found"),
    }
}

/// A file of the build: a rendered one from memory (pages get the reload script), a static
/// one streamed from disk.
fn file(
    state: &State,
    generation: &Generation,
    key: &str,
    found: Found,
    status: StatusCode,
    wanted: &Wanted,
) -> Response<Body> {
    let mime = mime_type(key);
    let bytes = match found {
        Found::Static(path) => {
            return super::files::respond(&path, mime, status, wanted).unwrap_or_else(|error| {
                let message = crate::Error::io(&path, error).to_string();
                eprintln!("{message}");
                error_page(&message, generation.number)
            });
        }
        Found::Rendered(bytes) => bytes,
    };
    let body = if mime.starts_with("text/html") && !key.ends_with("email.html") {
        let html = String::from_utf8_lossy(&bytes);
        // Listening on every interface, the pages are also read from other machines (a phone):
        // root-relative links work whatever address they used.
        let html = match state.options.bind.is_unspecified() {
            true => root_relative(&html, &state.base_url),
            false => html.into_owned(),
        };
        inject(&html, state.error().as_deref(), generation.number).into_bytes()
    } else {
        bytes.to_vec()
    };
    let length = HeaderValue::from(body.len());
    let body = if wanted.head {
        Body::empty()
    } else {
        Body::bytes(body)
    };
    let mut response = with_type(Response::new(body), mime);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, length);
    response
}

/// A page that shows `error` over an empty page, and reloads once it is fixed.
fn error_page(error: &str, build: u64) -> Response<Body> {
    let html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>gazette: build error</title></head><body></body></html>";
    let html = inject(html, Some(error), build);
    let mut response = with_type(Response::new(Body::bytes(html)), "text/html; charset=utf-8");
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

pub(crate) fn text(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::bytes(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// `response` with its type, never kept by the browser: the next build may change it.
pub(crate) fn with_type(mut response: Response<Body>, mime: &'static str) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
