;; hello-wat: a static responder written by hand in WebAssembly text.
;;
;; Edge ABI (docs/handler-abi.md):
;;   alloc(len) -> ptr          the host asks for room and writes the HTTP/1.1 request there
;;   handle(ptr, len) -> resp   resp points at [u32 little-endian length][HTTP/1.1 response]
;;
;; Routes:  GET /  -> 200 html    GET /robots.txt -> 200 text    other paths -> 404
;;          any other method -> 405 with an `allow: GET` header
;;
;; The responses are pre-rendered in data segments; handle() only picks one and copies it
;; behind a length prefix. Try changing the greeting and watch the data section grow.
(module
  (memory (export "memory") 1)

  ;; Path literals the router compares against.
  (data (i32.const 900) "/")
  (data (i32.const 904) "/robots.txt")

  ;; Pre-rendered responses: offset and byte length are noted beside each.
  ;; 1024, 161 bytes
  (data (i32.const 1024) "HTTP/1.1 200 OK\0d\0acontent-type: text/html; charset=utf-8\0d\0acache-control: public, max-age=60\0d\0acontent-length: 47\0d\0a\0d\0a<!doctype html><h1>Hello from WebAssembly</h1>\0a")
  ;; 1200, 96 bytes
  (data (i32.const 1200) "HTTP/1.1 200 OK\0d\0acontent-type: text/plain\0d\0acontent-length: 31\0d\0a\0d\0aUser-agent: *\0aDisallow: /admin\0a")
  ;; 1296, 82 bytes
  (data (i32.const 1296) "HTTP/1.1 404 Not Found\0d\0acontent-type: text/plain\0d\0acontent-length: 10\0d\0a\0d\0anot found\0a")
  ;; 1392, 113 bytes
  (data (i32.const 1392) "HTTP/1.1 405 Method Not Allowed\0d\0acontent-type: text/plain\0d\0aallow: GET\0d\0acontent-length: 20\0d\0a\0d\0aonly GET is allowed\0a")

  ;; The response is assembled at OUT; requests land at HEAP.
  (global $OUT i32 (i32.const 2048))
  (global $HEAP i32 (i32.const 4096))

  ;; One request at a time, so every alloc can hand out the same region (no leak when the
  ;; host reuses a warm instance). Grows memory when the request does not fit.
  (func (export "alloc") (param $len i32) (result i32)
    (local $need i32)
    (local.set $need
      (i32.shr_u (i32.add (i32.add (global.get $HEAP) (local.get $len)) (i32.const 65535))
                 (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then
        (if (i32.lt_s (memory.grow (i32.sub (local.get $need) (memory.size))) (i32.const 0))
          (then (return (i32.const 0))))))
    (global.get $HEAP))

  ;; Does the request target at $p (length $n available) equal the literal, followed by
  ;; a space or '?' (so "/robots.txt?x=1" matches but "/robots.txt2" does not)?
  (func $path_is (param $p i32) (param $n i32) (param $lit i32) (param $lit_len i32)
    (result i32)
    (local $i i32) (local $next i32)
    (if (i32.le_u (local.get $n) (local.get $lit_len)) (then (return (i32.const 0))))
    (block $done
      (loop $cmp
        (br_if $done (i32.ge_u (local.get $i) (local.get $lit_len)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $lit) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $cmp)))
    (local.set $next (i32.load8_u (i32.add (local.get $p) (local.get $lit_len))))
    (i32.or (i32.eq (local.get $next) (i32.const 32)) (i32.eq (local.get $next) (i32.const 63))))

  ;; Copy a pre-rendered response behind its length prefix and return the prefix's address.
  (func $respond (param $src i32) (param $len i32) (result i32)
    (i32.store (global.get $OUT) (local.get $len))
    (memory.copy (i32.add (global.get $OUT) (i32.const 4)) (local.get $src) (local.get $len))
    (global.get $OUT))

  (func (export "handle") (param $req i32) (param $len i32) (result i32)
    (local $path i32) (local $rest i32)
    ;; Only "GET " requests: compare the first four bytes as one little-endian word.
    (if (i32.or (i32.lt_u (local.get $len) (i32.const 5))
                (i32.ne (i32.load (local.get $req)) (i32.const 0x20544547)))
      (then (return (call $respond (i32.const 1392) (i32.const 113)))))
    (local.set $path (i32.add (local.get $req) (i32.const 4)))
    (local.set $rest (i32.sub (local.get $len) (i32.const 4)))
    (if (call $path_is (local.get $path) (local.get $rest) (i32.const 900) (i32.const 1))
      (then (return (call $respond (i32.const 1024) (i32.const 161)))))
    (if (call $path_is (local.get $path) (local.get $rest) (i32.const 904) (i32.const 11))
      (then (return (call $respond (i32.const 1200) (i32.const 96)))))
    (call $respond (i32.const 1296) (i32.const 82)))
)
