//! edge-kit: the workbench's edge ABI (docs/handler-abi.md) for a Rust handler.
//!
//! - `alloc(len)` (exported here) hands the host room for the next request;
//! - `serve(ptr, len, handler)` parses the HTTP/1.1 request the host wrote there, calls
//!   the handler and renders its `Response` as `[u32 little-endian length][HTTP/1.1
//!   message]`, returning the pointer `handle` must return;
//! - `log` calls the host's `edge.log` import.
//!
//! The module is single-threaded and the host never calls in while a call is running,
//! so the two buffers below are plain statics.

use std::fmt::Write;

#[link(wasm_import_module = "edge")]
extern "C" {
    #[link_name = "log"]
    fn edge_log(level: i32, ptr: *const u8, len: usize);
}

/// Log levels of `edge.log`.
#[derive(Clone, Copy)]
pub enum Level {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

/// One log line; `key=value` pairs become structured fields in the workbench.
pub fn log(level: Level, message: &str) {
    // SAFETY: the host reads `len` bytes at `ptr`, both inside our memory.
    unsafe { edge_log(level as i32, message.as_ptr(), message.len()) }
}

static mut REQUEST: Vec<u8> = Vec::new();
static mut RESPONSE: Vec<u8> = Vec::new();

/// The ABI's `alloc`: room for a request of `len` bytes (the previous one is dropped).
#[no_mangle]
pub extern "C" fn alloc(len: i32) -> i32 {
    // SAFETY: single-threaded, not re-entered (see the module comment).
    let buf = unsafe { &mut *std::ptr::addr_of_mut!(REQUEST) };
    buf.clear();
    buf.resize(len.max(0) as usize, 0);
    buf.as_mut_ptr() as i32
}

/// A parsed request; every field borrows from the bytes the host wrote.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Request<'a>, &'static str> {
        let split = find(bytes, b"\r\n\r\n").map(|i| (i, i + 4))
            .or_else(|| find(bytes, b"\n\n").map(|i| (i, i + 2)))
            .ok_or("no blank line after the headers")?;
        let head = std::str::from_utf8(&bytes[..split.0]).map_err(|_| "headers are not UTF-8")?;
        let mut lines = head.lines();
        let mut parts = lines.next().unwrap_or("").split(' ');
        let method = parts.next().filter(|m| !m.is_empty()).ok_or("no method")?;
        let target = parts.next().ok_or("no request target")?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers = Vec::new();
        for line in lines {
            let (name, value) = line.split_once(':').ok_or("a header line without ':'")?;
            headers.push((name.trim(), value.trim()));
        }
        Ok(Request { method, path, query, headers, body: &bytes[split.1..] })
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    /// The first query parameter called `name`, as written (no percent-decoding).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.query.split('&').filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
            .find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A response: status, headers and body. `content-length` is added when rendered.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: vec![("content-type", content_type.to_string())],
                   body: body.into() }
    }

    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, body: String) -> Response {
        Response::new(status, "application/json", body)
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }

    fn render_into(&self, out: &mut Vec<u8>) {
        let mut head = String::new();
        let _ = write!(head, "HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let _ = write!(head, "{}: {}\r\n", name, value);
        }
        let _ = write!(head, "content-length: {}\r\n\r\n", self.body.len());
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.body);
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        422 => "Unprocessable Content",
        _ => "",
    }
}

/// The body of `handle`: parse the request at `ptr`, run `handler`, return the response
/// pointer. A request that does not parse gets a 400 without reaching the handler.
pub fn serve(ptr: i32, len: i32, handler: impl FnOnce(&Request) -> Response) -> i32 {
    // SAFETY: the host wrote `len` bytes at `ptr`, which `alloc` returned.
    let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, len.max(0) as usize) };
    let response = match Request::parse(bytes) {
        Ok(request) => handler(&request),
        Err(problem) => {
            log(Level::Warn, problem);
            Response::text(400, problem)
        }
    };
    // SAFETY: single-threaded, not re-entered; the host copies the bytes before the
    // next call, which is when they are overwritten.
    let out = unsafe { &mut *std::ptr::addr_of_mut!(RESPONSE) };
    out.clear();
    out.extend_from_slice(&[0; 4]);
    response.render_into(out);
    let n = (out.len() - 4) as u32;
    out[..4].copy_from_slice(&n.to_le_bytes());
    out.as_ptr() as i32
}
