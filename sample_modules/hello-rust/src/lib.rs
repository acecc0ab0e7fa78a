//! hello-rust: an edge handler in Rust (the workbench's edge ABI, docs/handler-abi.md).
//!
//! | request             | response                                                  |
//! |---------------------|-----------------------------------------------------------|
//! | `GET /`             | 200 text: `Hello from Rust, <user-agent>!`               |
//! | `GET /stats?n=3,1,2`| 200 JSON: count, sum, min, max, mean, median, sorted      |
//! |   `&type=u8|i64`    |   the same over another number type (u32 by default)      |
//! | `GET /headers`      | 200 JSON: the request headers as `[name, value]` pairs    |
//! | `POST /echo`        | 200 JSON: method, path, body (as text) and its byte count |
//! | other methods       | 405 with `allow`                                          |
//! | anything else       | 404 JSON and a `warn` log line                            |
//!
//! `alloc` comes from the edge-kit crate; `handle` is below.

mod stats;

use edge_kit::{log, serve, Level, Request, Response};
use tiny_json::{Object, ToJson};

/// The ABI's `handle(req_ptr, req_len) -> response pointer`.
#[no_mangle]
pub extern "C" fn handle(ptr: i32, len: i32) -> i32 {
    serve(ptr, len, route)
}

fn route(req: &Request) -> Response {
    let response = match (req.path, req.method) {
        ("/", "GET") => hello(req),
        ("/stats", "GET") => stats_route(req),
        ("/headers", "GET") => Response::json(200, tiny_json::to_string(&req.headers)),
        ("/echo", "POST") => echo(req),
        ("/" | "/stats" | "/headers", _) => not_allowed(req, "GET"),
        ("/echo", _) => not_allowed(req, "POST"),
        _ => not_found(req),
    };
    log(Level::Info, &format!("method={} path={} status={}", req.method, req.path,
                              response.status));
    response
}

fn hello(req: &Request) -> Response {
    let agent = req.header("user-agent").unwrap_or("stranger");
    Response::text(200, format!("Hello from Rust, {}!", agent))
}

fn stats_route(req: &Request) -> Response {
    let list = req.param("n").unwrap_or("");
    match stats::summarize(req.param("type").unwrap_or(""), list) {
        Ok(body) => Response::json(200, body),
        Err(message) => error(400, &message),
    }
}

fn echo(req: &Request) -> Response {
    let body = String::from_utf8_lossy(req.body);
    let json = Object::new()
        .field("method", req.method)
        .field("path", req.path)
        .field("bytes", &req.body.len())
        .field("body", &*body)
        .field("content_type", &req.header("content-type"))
        .finish();
    Response::json(200, json)
}

fn not_allowed(req: &Request, allow: &str) -> Response {
    error(405, &format!("use {}, not {}", allow, req.method)).with_header("allow", allow)
}

fn not_found(req: &Request) -> Response {
    log(Level::Warn, &format!("no route for {} {}", req.method, req.path));
    error(404, &format!("no route for {} {}", req.method, req.path))
}

fn error(status: u16, message: &str) -> Response {
    let mut body = String::from("{\"error\":");
    message.write_json(&mut body);
    body.push('}');
    Response::json(status, body)
}
