(module
  (import "wasi:http/types@0.2.0" "[constructor]fields" (func $fields_new (result i32)))
  (import "wasi:http/types@0.2.0" "[constructor]outgoing-response" (func $resp_new (param i32) (result i32)))
  (import "wasi:http/types@0.2.0" "[method]outgoing-response.set-status-code" (func $set_status (param i32 i32) (result i32)))
  (import "wasi:http/types@0.2.0" "[method]outgoing-response.body" (func $resp_body (param i32 i32)))
  (import "wasi:http/types@0.2.0" "[method]outgoing-body.write" (func $body_write (param i32 i32)))
  (import "wasi:http/types@0.2.0" "[static]outgoing-body.finish" (func $body_finish (param i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.0" "[static]response-outparam.set" (func $set (param i32 i32 i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.0" "[method]incoming-request.path-with-query" (func $path (param i32 i32)))
  (import "wasi:http/types@0.2.0" "[resource-drop]incoming-request" (func $drop_req (param i32)))
  (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream" (func $drop_stream (param i32)))
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $stdout (result i32)))
  (import "wasi:http/outgoing-handler@0.2.0" "frobnicate" (func $frobnicate))
  (import "wasi:keyvalue/store@0.2.0-draft2" "open" (func $kv_open (param i32 i32 i32)))
  (import "wasi:keyvalue/store@0.2.0-draft2" "[method]bucket.set" (func $kv_set (param i32 i32 i32 i32 i32 i32)))
  (import "wasi:keyvalue/store@0.2.0-draft2" "[method]bucket.get" (func $kv_get (param i32 i32 i32 i32)))
  (import "wasi:keyvalue/store@0.2.0-draft2" "[resource-drop]bucket" (func $kv_drop (param i32)))
  (import "wasi:config/store@0.2.0-draft-2024-09-27" "get" (func $config_get (param i32 i32 i32)))
  (import "fermyon:spin/variables@2.0.0" "get" (func $var_get (param i32 i32 i32)))
  (import "fermyon:spin/key-value@2.0.0" "[static]store.open" (func $spin_open (param i32 i32 i32)))
  (import "fermyon:spin/key-value@2.0.0" "[method]store.get" (func $spin_get (param i32 i32 i32 i32)))
  (import "fermyon:spin/key-value@2.0.0" "[resource-drop]store" (func $spin_drop (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "from-wasm")      ;; 9
  (data (i32.const 210) "written")        ;; 7
  (data (i32.const 220) "greeting")       ;; 8
  (data (i32.const 230) "API_TOKEN")      ;; 9
  (data (i32.const 240) "api_token")      ;; 9
  (data (i32.const 250) "default")        ;; 7
  (data (i32.const 260) "kv=")            ;; 3
  (data (i32.const 264) "token=")         ;; 6
  (data (i32.const 272) "var=")           ;; 4
  (data (i32.const 278) "spin=")          ;; 5
  (data (i32.const 284) "no-store")       ;; 8
  (data (i32.const 294) "unset")          ;; 5
  (data (i32.const 16) "hi\0a")
  (data (i32.const 32) "said hi path=")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  ;; Answer 200 "hi\n"; log "said hi path=<path>" on stdout.
  (func $hi (param $req i32) (param $out i32)
    (local $resp i32) (local $body i32) (local $stream i32) (local $so i32)
    (global.set $heap (i32.const 4096))  ;; one request at a time: reuse the heap
    (call $path (local.get $req) (i32.const 64))  ;; option<string>: tag@64, ptr@68, len@72
    (call $drop_req (local.get $req))
    (local.set $resp (call $resp_new (call $fields_new)))
    (drop (call $set_status (local.get $resp) (i32.const 200)))
    (call $resp_body (local.get $resp) (i32.const 0))
    (local.set $body (i32.load (i32.const 4)))
    (call $body_write (local.get $body) (i32.const 0))
    (local.set $stream (i32.load (i32.const 4)))
    (call $set (local.get $out) (i32.const 0) (local.get $resp) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $write (local.get $stream) (i32.const 16) (i32.const 3) (i32.const 0))
    (call $drop_stream (local.get $stream))
    (call $body_finish (local.get $body) (i32.const 0) (i32.const 0) (i32.const 0))
    ;; "said hi path=" + the path, then a newline
    (local.set $so (call $stdout))
    (call $write (local.get $so) (i32.const 32) (i32.const 13) (i32.const 0))
    (if (i32.load8_u (i32.const 64))
      (then (call $write (local.get $so) (i32.load (i32.const 68)) (i32.load (i32.const 72)) (i32.const 0))))
    (call $write (local.get $so) (i32.const 18) (i32.const 1) (i32.const 0))
    (call $drop_stream (local.get $so)))
  ;; stdout: prefix, then the string at (ptr, len), then "\n"
  (func $say (param $pp i32) (param $pl i32) (param $p i32) (param $l i32)
    (local $so i32)
    (local.set $so (call $stdout))
    (call $write (local.get $so) (local.get $pp) (local.get $pl) (i32.const 0))
    (call $write (local.get $so) (local.get $p) (local.get $l) (i32.const 0))
    (call $write (local.get $so) (i32.const 18) (i32.const 1) (i32.const 0))
    (call $drop_stream (local.get $so)))
  ;; Every key-value and config import once, each outcome a stdout line; then $hi.
  (func $kv (param $req i32) (param $out i32)
    (local $b i32) (local $s i32)
    (global.set $heap (i32.const 4096))
    ;; wasi:keyvalue: open(""), set("from-wasm", "written"), get("greeting")
    (call $kv_open (i32.const 0) (i32.const 0) (i32.const 1024))
    (if (i32.load8_u (i32.const 1024))
      (then (call $say (i32.const 284) (i32.const 8) (i32.const 0) (i32.const 0)))
      (else
        (local.set $b (i32.load (i32.const 1028)))
        (call $kv_set (local.get $b) (i32.const 200) (i32.const 9) (i32.const 210) (i32.const 7) (i32.const 1024))
        (call $kv_get (local.get $b) (i32.const 220) (i32.const 8) (i32.const 1024))
        (if (i32.and (i32.eqz (i32.load8_u (i32.const 1024))) (i32.load8_u (i32.const 1028)))
          (then (call $say (i32.const 260) (i32.const 3) (i32.load (i32.const 1032)) (i32.load (i32.const 1036))))
          (else (call $say (i32.const 260) (i32.const 3) (i32.const 294) (i32.const 5))))
        (call $kv_drop (local.get $b))))
    ;; wasi:config get("API_TOKEN"): result<option<string>, error>
    (call $config_get (i32.const 230) (i32.const 9) (i32.const 1024))
    (if (i32.and (i32.eqz (i32.load8_u (i32.const 1024))) (i32.load8_u (i32.const 1028)))
      (then (call $say (i32.const 264) (i32.const 6) (i32.load (i32.const 1032)) (i32.load (i32.const 1036))))
      (else (call $say (i32.const 264) (i32.const 6) (i32.const 294) (i32.const 5))))
    ;; spin variables get("api_token"): result<string, error>
    (call $var_get (i32.const 240) (i32.const 9) (i32.const 1024))
    (if (i32.eqz (i32.load8_u (i32.const 1024)))
      (then (call $say (i32.const 272) (i32.const 4) (i32.load (i32.const 1028)) (i32.load (i32.const 1032))))
      (else (call $say (i32.const 272) (i32.const 4) (i32.const 294) (i32.const 5))))
    ;; spin key-value: open("default"), get("from-wasm")
    (call $spin_open (i32.const 250) (i32.const 7) (i32.const 1024))
    (if (i32.eqz (i32.load8_u (i32.const 1024)))
      (then
        (local.set $s (i32.load (i32.const 1028)))
        (call $spin_get (local.get $s) (i32.const 200) (i32.const 9) (i32.const 1024))
        (if (i32.and (i32.eqz (i32.load8_u (i32.const 1024))) (i32.load8_u (i32.const 1028)))
          (then (call $say (i32.const 278) (i32.const 5) (i32.load (i32.const 1032)) (i32.load (i32.const 1036))))
          (else (call $say (i32.const 278) (i32.const 5) (i32.const 294) (i32.const 5))))
        (call $spin_drop (local.get $s)))
      (else (call $say (i32.const 278) (i32.const 5) (i32.const 284) (i32.const 8))))
    (call $hi (local.get $req) (local.get $out)))
  (func (export "wasi:http/incoming-handler@0.2.0#handle") (param $req i32) (param $out i32)
    local.get $req
    local.get $out
    call $kv)
)
