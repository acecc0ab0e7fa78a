// hello-assemblyscript: an edge handler written in AssemblyScript.
//
// The edge ABI (docs/handler-abi.md) in three exports:
//   memory                        the host writes requests and reads responses here
//   alloc(len: i32) -> i32        a pointer to `len` bytes for the next request
//   handle(ptr: i32, len: i32)    serves the HTTP/1.1 request at ptr; returns a pointer
//                                 to a u32 little-endian length + an HTTP/1.1 response
//
// Routes:
//   GET  /              a plain-text greeting
//   GET  /echo          the request as JSON: method, path, query, headers
//   POST /echo          the same plus the body
//   anything else       404 (or 405 on /echo) as JSON, with a warning in the log

// ---------------------------------------------------------------------------------
// Host functions: module "edge" (docs/handler-abi.md, "Host functions").

// log(level, ptr, len): 0 debug, 1 info, 2 warn, 3 error. The workbench parses
// `key=value` pairs in the message into structured fields.
@external("edge", "log")
declare function edge_log(level: i32, ptr: usize, len: i32): void;

const DEBUG = 0;
const INFO = 1;
const WARN = 2;
const ERROR = 3;

function log(level: i32, message: string): void {
  // Host functions take bytes, AssemblyScript strings are UTF-16: encode first.
  const bytes = String.UTF8.encode(message);
  edge_log(level, changetype<usize>(bytes), bytes.byteLength);
}

// asconfig.json routes AssemblyScript's `abort` here (`"use": ["abort=..."]`) instead
// of the default `env.abort` import, which an edge host does not provide. A failed
// assertion or an out-of-bounds array access then explains itself in the log before
// the trap.
function onAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  const what = message !== null ? message : "abort";
  const where = file !== null ? file : "?";
  log(ERROR, `abort: ${what} at ${where}:${line}:${column}`);
  unreachable();
}

// ---------------------------------------------------------------------------------
// Memory. asconfig.json picks the "minimal" runtime: a garbage collector that runs
// only when asked. `alloc` starts every request, when no string or array of the
// previous request is in use any more, so that is where it collects: a warm
// instance serving thousands of requests keeps the memory of one.
// The request and response buffers live outside the collected heap (heap.alloc) and
// are freed here too, once the host has copied the previous response.

let requestBuf: usize = 0;
let responseBuf: usize = 0;

export function alloc(len: i32): usize {
  if (requestBuf != 0) heap.free(requestBuf);
  if (responseBuf != 0) heap.free(responseBuf);
  responseBuf = 0;
  __collect();
  requestBuf = heap.alloc(<usize>max(len, 1));
  return requestBuf;
}

// ---------------------------------------------------------------------------------
// Request parsing: just enough HTTP/1.1 for a handler (the host sends a well-formed
// message with CRLF line endings and a content-length when there is a body).

class Request {
  method: string = "";
  path: string = "";
  query: string = "";
  names: string[] = []; // lower-cased header names, in request order
  values: string[] = [];
  body: string = "";

  header(name: string): string | null {
    for (let i = 0; i < this.names.length; i++) {
      if (this.names[i] == name) return this.values[i];
    }
    return null;
  }
}

// ASCII lower-casing: header names are ASCII, and String#toLowerCase would pull
// Unicode case tables (several KB) into the module.
function asciiLower(s: string): string {
  const codes = new Array<i32>(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    codes[i] = c >= 65 && c <= 90 ? c + 32 : c;
  }
  return String.fromCharCodes(codes);
}

function parseRequest(ptr: usize, len: i32): Request {
  const text = String.UTF8.decodeUnsafe(ptr, <usize>len);
  const req = new Request();
  let headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) headEnd = text.length;
  else req.body = text.substring(headEnd + 4);

  const lines = text.substring(0, headEnd).split("\r\n");
  const parts = lines[0].split(" "); // METHOD target HTTP/1.1
  req.method = parts[0];
  const target = parts.length > 1 ? parts[1] : "/";
  const q = target.indexOf("?");
  req.path = q < 0 ? target : target.substring(0, q);
  req.query = q < 0 ? "" : target.substring(q + 1);

  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(":");
    if (colon <= 0) continue;
    const name = asciiLower(lines[i].substring(0, colon).trim());
    const value = lines[i].substring(colon + 1).trim();
    const seen = req.names.indexOf(name);
    if (seen >= 0) {
      req.values[seen] = req.values[seen] + ", " + value; // repeated header: join, as HTTP does
    } else {
      req.names.push(name);
      req.values.push(value);
    }
  }
  return req;
}

// ---------------------------------------------------------------------------------
// Responses

// Text built piece by piece into one growing UTF-16 buffer, so building N characters
// costs O(N). `out += piece` in a loop copies the text so far every time, and so does
// Array<string>#join at shrinkLevel >= 1 (the standard library then joins by repeated
// concatenation): quadratic time and, with a collector that only runs between
// requests, quadratic garbage (a 10 KB body of quotes once needed 64 MiB).
class Builder {
  private buf: ArrayBuffer = new ArrayBuffer(256);
  private bytes: i32 = 0;

  private reserve(more: i32): usize {
    const need = this.bytes + more;
    if (need > this.buf.byteLength) {
      const bigger = new ArrayBuffer(max(need, this.buf.byteLength << 1));
      memory.copy(changetype<usize>(bigger), changetype<usize>(this.buf), <usize>this.bytes);
      this.buf = bigger; // the old buffer is garbage, collected at the next request
    }
    return changetype<usize>(this.buf) + <usize>this.bytes;
  }

  add(s: string): Builder {
    return this.addSlice(s, 0, s.length);
  }

  addSlice(s: string, start: i32, end: i32): Builder {
    const n = (end - start) << 1;
    memory.copy(this.reserve(n), changetype<usize>(s) + (<usize>start << 1), <usize>n);
    this.bytes += n;
    return this;
  }

  // A JSON string literal: quotes, backslashes and control characters escaped,
  // unescaped runs copied whole.
  json(s: string): Builder {
    this.add("\"");
    let run = 0; // start of the current unescaped run
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 32 && c != 34 && c != 92) continue;
      this.addSlice(s, run, i);
      if (c == 34) this.add("\\\"");
      else if (c == 92) this.add("\\\\");
      else if (c == 10) this.add("\\n");
      else if (c == 13) this.add("\\r");
      else if (c == 9) this.add("\\t");
      else this.add(c < 16 ? "\\u000" : "\\u001").add((c & 15).toString(16));
      run = i + 1;
    }
    return this.addSlice(s, run, s.length).add("\"");
  }

  toString(): string {
    return String.UTF16.decodeUnsafe(changetype<usize>(this.buf), <usize>this.bytes);
  }
}

function jsonString(s: string): string {
  return new Builder().json(s).toString();
}

function reason(status: i32): string {
  if (status == 200) return "OK";
  if (status == 404) return "Not Found";
  if (status == 405) return "Method Not Allowed";
  return "Unknown";
}

// Writes `HTTP/1.1 ...` after a u32 length into a heap buffer and returns its pointer,
// which is what `handle` hands back to the host.
function respond(status: i32, contentType: string, body: string, extraHeaders: string = ""): usize {
  const message =
    `HTTP/1.1 ${status} ${reason(status)}\r\n` +
    `content-type: ${contentType}\r\n` +
    `content-length: ${String.UTF8.byteLength(body)}\r\n` +
    extraHeaders +
    "\r\n" +
    body;
  const n = String.UTF8.byteLength(message);
  responseBuf = heap.alloc(4 + <usize>n);
  store<u32>(responseBuf, <u32>n); // little-endian, as wasm always is
  String.UTF8.encodeUnsafe(changetype<usize>(message), message.length, responseBuf + 4);
  return responseBuf;
}

function jsonError(status: i32, message: string, extraHeaders: string = ""): usize {
  return respond(status, "application/json", `{"error":${jsonString(message)}}`, extraHeaders);
}

// ---------------------------------------------------------------------------------
// Routes

function echo(req: Request): usize {
  const b = new Builder();
  b.add(`{"method":`).json(req.method).add(`,"path":`).json(req.path);
  b.add(`,"query":`).json(req.query).add(`,"header_count":`).add(req.names.length.toString());
  b.add(`,"headers":{`);
  for (let i = 0; i < req.names.length; i++) {
    if (i > 0) b.add(",");
    b.json(req.names[i]).add(":").json(req.values[i]);
  }
  b.add("}");
  if (req.method == "POST") {
    b.add(`,"body":`).json(req.body);
    b.add(`,"body_bytes":`).add(String.UTF8.byteLength(req.body).toString());
  }
  return respond(200, "application/json", b.add("}").toString());
}

export function handle(ptr: usize, len: i32): usize {
  const req = parseRequest(ptr, len);
  log(DEBUG, `method=${req.method} path=${req.path} headers=${req.names.length}`);

  if (req.path == "/") {
    if (req.method != "GET") return jsonError(405, "use GET", "allow: GET\r\n");
    const agent = req.header("user-agent");
    const who = agent !== null ? agent : "stranger";
    log(INFO, `greeting user_agent=${jsonString(who)}`);
    return respond(200, "text/plain; charset=utf-8", `Hello from AssemblyScript, ${who}!\n`);
  }
  if (req.path == "/echo") {
    if (req.method != "GET" && req.method != "POST") {
      log(WARN, `method not allowed method=${req.method} path=${req.path}`);
      return jsonError(405, `use GET or POST, not ${req.method}`, "allow: GET, POST\r\n");
    }
    return echo(req);
  }
  log(WARN, `no route method=${req.method} path=${req.path} status=404`);
  return jsonError(404, `no route for ${req.method} ${req.path}`);
}
