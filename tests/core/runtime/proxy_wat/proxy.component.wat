(component
  (type $ty-wasi:io/error@0.2.0 (;0;)
    (instance
      (export (;0;) "error" (type (sub resource)))
    )
  )
  (import "wasi:io/error@0.2.0" (instance $wasi:io/error@0.2.0 (;0;) (type $ty-wasi:io/error@0.2.0)))
  (alias export $wasi:io/error@0.2.0 "error" (type $error (;1;)))
  (type $ty-wasi:io/streams@0.2.0 (;2;)
    (instance
      (export (;0;) "output-stream" (type (sub resource)))
      (alias outer 1 $error (type (;1;)))
      (export (;2;) "error" (type (eq 1)))
      (type (;3;) (own 2))
      (type (;4;) (variant (case "last-operation-failed" 3) (case "closed")))
      (export (;5;) "stream-error" (type (eq 4)))
      (type (;6;) (borrow 0))
      (type (;7;) (list u8))
      (type (;8;) (result (error 5)))
      (type (;9;) (func (param "self" 6) (param "contents" 7) (result 8)))
      (export (;0;) "[method]output-stream.blocking-write-and-flush" (func (type 9)))
    )
  )
  (import "wasi:io/streams@0.2.0" (instance $wasi:io/streams@0.2.0 (;1;) (type $ty-wasi:io/streams@0.2.0)))
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $output-stream (;3;)))
  (type $ty-wasi:cli/stdout@0.2.0 (;4;)
    (instance
      (alias outer 1 $output-stream (type (;0;)))
      (export (;1;) "output-stream" (type (eq 0)))
      (type (;2;) (own 1))
      (type (;3;) (func (result 2)))
      (export (;0;) "get-stdout" (func (type 3)))
    )
  )
  (import "wasi:cli/stdout@0.2.0" (instance $wasi:cli/stdout@0.2.0 (;2;) (type $ty-wasi:cli/stdout@0.2.0)))
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $"#type5 output-stream" (@name "output-stream") (;5;)))
  (type $ty-wasi:http/types@0.2.0 (;6;)
    (instance
      (export (;0;) "fields" (type (sub resource)))
      (export (;1;) "headers" (type (eq 0)))
      (export (;2;) "outgoing-response" (type (sub resource)))
      (export (;3;) "outgoing-body" (type (sub resource)))
      (alias outer 1 $"#type5 output-stream" (type (;4;)))
      (export (;5;) "output-stream" (type (eq 4)))
      (type (;6;) (option string))
      (type (;7;) (variant (case "internal-error" 6)))
      (export (;8;) "error-code" (type (eq 7)))
      (export (;9;) "response-outparam" (type (sub resource)))
      (export (;10;) "incoming-request" (type (sub resource)))
      (type (;11;) (own 0))
      (type (;12;) (func (result 11)))
      (export (;0;) "[constructor]fields" (func (type 12)))
      (type (;13;) (borrow 10))
      (type (;14;) (func (param "self" 13) (result 6)))
      (export (;1;) "[method]incoming-request.path-with-query" (func (type 14)))
      (type (;15;) (own 1))
      (type (;16;) (own 2))
      (type (;17;) (func (param "headers" 15) (result 16)))
      (export (;2;) "[constructor]outgoing-response" (func (type 17)))
      (type (;18;) (borrow 2))
      (type (;19;) (result))
      (type (;20;) (func (param "self" 18) (param "status-code" u16) (result 19)))
      (export (;3;) "[method]outgoing-response.set-status-code" (func (type 20)))
      (type (;21;) (own 3))
      (type (;22;) (result 21))
      (type (;23;) (func (param "self" 18) (result 22)))
      (export (;4;) "[method]outgoing-response.body" (func (type 23)))
      (type (;24;) (borrow 3))
      (type (;25;) (own 5))
      (type (;26;) (result 25))
      (type (;27;) (func (param "self" 24) (result 26)))
      (export (;5;) "[method]outgoing-body.write" (func (type 27)))
      (type (;28;) (option 11))
      (type (;29;) (result (error 8)))
      (type (;30;) (func (param "this" 21) (param "trailers" 28) (result 29)))
      (export (;6;) "[static]outgoing-body.finish" (func (type 30)))
      (type (;31;) (own 9))
      (type (;32;) (result 16 (error 8)))
      (type (;33;) (func (param "param" 31) (param "response" 32)))
      (export (;7;) "[static]response-outparam.set" (func (type 33)))
    )
  )
  (import "wasi:http/types@0.2.0" (instance $wasi:http/types@0.2.0 (;3;) (type $ty-wasi:http/types@0.2.0)))
  (type $ty-wasi:http/outgoing-handler@0.2.0 (;7;)
    (instance
      (type (;0;) (func))
      (export (;0;) "frobnicate" (func (type 0)))
    )
  )
  (import "wasi:http/outgoing-handler@0.2.0" (instance $wasi:http/outgoing-handler@0.2.0 (;4;) (type $ty-wasi:http/outgoing-handler@0.2.0)))
  (core module $main (;0;)
    (type (;0;) (func (result i32)))
    (type (;1;) (func (param i32) (result i32)))
    (type (;2;) (func (param i32 i32) (result i32)))
    (type (;3;) (func (param i32 i32)))
    (type (;4;) (func (param i32 i32 i32 i32)))
    (type (;5;) (func (param i32 i32 i32 i32 i32 i32)))
    (type (;6;) (func (param i32)))
    (type (;7;) (func))
    (type (;8;) (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi:http/types@0.2.0" "[constructor]fields" (func $fields_new (;0;) (type 0) (result i32)))
    (import "wasi:http/types@0.2.0" "[constructor]outgoing-response" (func $resp_new (;1;) (type 1) (param i32) (result i32)))
    (import "wasi:http/types@0.2.0" "[method]outgoing-response.set-status-code" (func $set_status (;2;) (type 2) (param i32 i32) (result i32)))
    (import "wasi:http/types@0.2.0" "[method]outgoing-response.body" (func $resp_body (;3;) (type 3) (param i32 i32)))
    (import "wasi:http/types@0.2.0" "[method]outgoing-body.write" (func $body_write (;4;) (type 3) (param i32 i32)))
    (import "wasi:http/types@0.2.0" "[static]outgoing-body.finish" (func $body_finish (;5;) (type 4) (param i32 i32 i32 i32)))
    (import "wasi:http/types@0.2.0" "[static]response-outparam.set" (func $set (;6;) (type 5) (param i32 i32 i32 i32 i32 i32)))
    (import "wasi:http/types@0.2.0" "[method]incoming-request.path-with-query" (func $path (;7;) (type 3) (param i32 i32)))
    (import "wasi:http/types@0.2.0" "[resource-drop]incoming-request" (func $drop_req (;8;) (type 6) (param i32)))
    (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush" (func $write (;9;) (type 4) (param i32 i32 i32 i32)))
    (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream" (func $drop_stream (;10;) (type 6) (param i32)))
    (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $stdout (;11;) (type 0) (result i32)))
    (import "wasi:http/outgoing-handler@0.2.0" "frobnicate" (func $frobnicate (;12;) (type 7)))
    (memory (;0;) 1)
    (global $heap (;0;) (mut i32) i32.const 4096)
    (export "memory" (memory 0))
    (export "cabi_realloc" (func 13))
    (export "wasi:http/incoming-handler@0.2.0#handle" (func 15))
    (func (;13;) (type 8) (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      global.get $heap
      i32.const 7
      i32.add
      i32.const -8
      i32.and
      local.set $p
      local.get $p
      local.get 3
      i32.add
      global.set $heap
      local.get $p
    )
    (func $hi (;14;) (type 3) (param $req i32) (param $out i32)
      (local $resp i32) (local $body i32) (local $stream i32) (local $so i32)
      i32.const 4096
      global.set $heap
      local.get $req
      i32.const 64
      call $path
      local.get $req
      call $drop_req
      call $fields_new
      call $resp_new
      local.set $resp
      local.get $resp
      i32.const 200
      call $set_status
      drop
      local.get $resp
      i32.const 0
      call $resp_body
      i32.const 4
      i32.load
      local.set $body
      local.get $body
      i32.const 0
      call $body_write
      i32.const 4
      i32.load
      local.set $stream
      local.get $out
      i32.const 0
      local.get $resp
      i32.const 0
      i32.const 0
      i32.const 0
      call $set
      local.get $stream
      i32.const 16
      i32.const 3
      i32.const 0
      call $write
      local.get $stream
      call $drop_stream
      local.get $body
      i32.const 0
      i32.const 0
      i32.const 0
      call $body_finish
      call $stdout
      local.set $so
      local.get $so
      i32.const 32
      i32.const 13
      i32.const 0
      call $write
      i32.const 64
      i32.load8_u
      if ;; label = @1
        local.get $so
        i32.const 68
        i32.load
        i32.const 72
        i32.load
        i32.const 0
        call $write
      end
      local.get $so
      i32.const 18
      i32.const 1
      i32.const 0
      call $write
      local.get $so
      call $drop_stream
    )
    (func (;15;) (type 3) (param $req i32) (param $out i32)
HANDLE_BODY
    )
    (data (;0;) (i32.const 16) "hi\0a")
    (data (;1;) (i32.const 32) "said hi path=")
  )
  (core module $wit-component-shim-module (;1;)
    (type (;0;) (func (param i32 i32)))
    (type (;1;) (func (param i32 i32 i32 i32)))
    (type (;2;) (func (param i32 i32 i32 i32 i32 i32)))
    (table (;0;) 6 6 funcref)
    (export "0" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-response.body"))
    (export "1" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-body.write"))
    (export "2" (func $"indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish"))
    (export "3" (func $"indirect-wasi:http/types@0.2.0-[static]response-outparam.set"))
    (export "4" (func $"indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query"))
    (export "5" (func $"indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush"))
    (export "$imports" (table 0))
    (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-response.body" (;0;) (type 0) (param i32 i32)
      local.get 0
      local.get 1
      i32.const 0
      call_indirect (type 0)
    )
    (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-body.write" (;1;) (type 0) (param i32 i32)
      local.get 0
      local.get 1
      i32.const 1
      call_indirect (type 0)
    )
    (func $"indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish" (;2;) (type 1) (param i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 2
      call_indirect (type 1)
    )
    (func $"indirect-wasi:http/types@0.2.0-[static]response-outparam.set" (;3;) (type 2) (param i32 i32 i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      local.get 4
      local.get 5
      i32.const 3
      call_indirect (type 2)
    )
    (func $"indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query" (;4;) (type 0) (param i32 i32)
      local.get 0
      local.get 1
      i32.const 4
      call_indirect (type 0)
    )
    (func $"indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush" (;5;) (type 1) (param i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 5
      call_indirect (type 1)
    )
  )
  (core instance $wit-component-shim-instance (;0;) (instantiate $wit-component-shim-module))
  (alias export $wasi:http/types@0.2.0 "incoming-request" (type $incoming-request (;8;)))
  (alias export $wasi:http/types@0.2.0 "response-outparam" (type $response-outparam (;9;)))
  (alias export $wasi:http/types@0.2.0 "[constructor]fields" (func $"[constructor]fields" (;0;)))
  (core func $"[constructor]fields" (;0;) (canon lower (func $"[constructor]fields")))
  (alias export $wasi:http/types@0.2.0 "[constructor]outgoing-response" (func $"[constructor]outgoing-response" (;1;)))
  (core func $"[constructor]outgoing-response" (;1;) (canon lower (func $"[constructor]outgoing-response")))
  (alias export $wasi:http/types@0.2.0 "[method]outgoing-response.set-status-code" (func $"[method]outgoing-response.set-status-code" (;2;)))
  (core func $"[method]outgoing-response.set-status-code" (;2;) (canon lower (func $"[method]outgoing-response.set-status-code")))
  (alias core export $wit-component-shim-instance "0" (core func $"indirect-wasi:http/types@0.2.0-[method]outgoing-response.body" (;3;)))
  (alias core export $wit-component-shim-instance "1" (core func $"indirect-wasi:http/types@0.2.0-[method]outgoing-body.write" (;4;)))
  (alias core export $wit-component-shim-instance "2" (core func $"indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish" (;5;)))
  (alias core export $wit-component-shim-instance "3" (core func $"indirect-wasi:http/types@0.2.0-[static]response-outparam.set" (;6;)))
  (alias core export $wit-component-shim-instance "4" (core func $"indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query" (;7;)))
  (alias export $wasi:http/types@0.2.0 "incoming-request" (type $"#type10 incoming-request" (@name "incoming-request") (;10;)))
  (core func $resource.drop (;8;) (canon resource.drop $"#type10 incoming-request"))
  (core instance $wasi:http/types@0.2.0 (;1;)
    (export "[constructor]fields" (func $"[constructor]fields"))
    (export "[constructor]outgoing-response" (func $"[constructor]outgoing-response"))
    (export "[method]outgoing-response.set-status-code" (func $"[method]outgoing-response.set-status-code"))
    (export "[method]outgoing-response.body" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-response.body"))
    (export "[method]outgoing-body.write" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-body.write"))
    (export "[static]outgoing-body.finish" (func $"indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish"))
    (export "[static]response-outparam.set" (func $"indirect-wasi:http/types@0.2.0-[static]response-outparam.set"))
    (export "[method]incoming-request.path-with-query" (func $"indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query"))
    (export "[resource-drop]incoming-request" (func $resource.drop))
  )
  (alias core export $wit-component-shim-instance "5" (core func $"indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush" (;9;)))
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $"#type11 output-stream" (@name "output-stream") (;11;)))
  (core func $"#core-func10 resource.drop" (@name "resource.drop") (;10;) (canon resource.drop $"#type11 output-stream"))
  (core instance $wasi:io/streams@0.2.0 (;2;)
    (export "[method]output-stream.blocking-write-and-flush" (func $"indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush"))
    (export "[resource-drop]output-stream" (func $"#core-func10 resource.drop"))
  )
  (alias export $wasi:cli/stdout@0.2.0 "get-stdout" (func $get-stdout (;3;)))
  (core func $get-stdout (;11;) (canon lower (func $get-stdout)))
  (core instance $wasi:cli/stdout@0.2.0 (;3;)
    (export "get-stdout" (func $get-stdout))
  )
  (alias export $wasi:http/outgoing-handler@0.2.0 "frobnicate" (func $frobnicate (;4;)))
  (core func $frobnicate (;12;) (canon lower (func $frobnicate)))
  (core instance $wasi:http/outgoing-handler@0.2.0 (;4;)
    (export "frobnicate" (func $frobnicate))
  )
  (core instance $main (;5;) (instantiate $main
      (with "wasi:http/types@0.2.0" (instance $wasi:http/types@0.2.0))
      (with "wasi:io/streams@0.2.0" (instance $wasi:io/streams@0.2.0))
      (with "wasi:cli/stdout@0.2.0" (instance $wasi:cli/stdout@0.2.0))
      (with "wasi:http/outgoing-handler@0.2.0" (instance $wasi:http/outgoing-handler@0.2.0))
    )
  )
  (alias core export $main "memory" (core memory $memory (;0;)))
  (core module $wit-component-fixup (;2;)
    (type (;0;) (func (param i32 i32)))
    (type (;1;) (func (param i32 i32 i32 i32)))
    (type (;2;) (func (param i32 i32 i32 i32 i32 i32)))
    (import "actual" "0" (func $0 (;0;) (type 0) (param i32 i32)))
    (import "actual" "1" (func $1 (;1;) (type 0) (param i32 i32)))
    (import "actual" "2" (func $2 (;2;) (type 1) (param i32 i32 i32 i32)))
    (import "actual" "3" (func $3 (;3;) (type 2) (param i32 i32 i32 i32 i32 i32)))
    (import "actual" "4" (func $4 (;4;) (type 0) (param i32 i32)))
    (import "actual" "5" (func $5 (;5;) (type 1) (param i32 i32 i32 i32)))
    (import "shim" "$imports" (table (;0;) 6 6 funcref))
    (elem (;0;) (i32.const 0) func $0 $1 $2 $3 $4 $5)
  )
  (alias export $wasi:http/types@0.2.0 "[method]outgoing-response.body" (func $"[method]outgoing-response.body" (;5;)))
  (core func $"#core-func13 indirect-wasi:http/types@0.2.0-[method]outgoing-response.body" (@name "indirect-wasi:http/types@0.2.0-[method]outgoing-response.body") (;13;) (canon lower (func $"[method]outgoing-response.body") (memory $memory)))
  (alias export $wasi:http/types@0.2.0 "[method]outgoing-body.write" (func $"[method]outgoing-body.write" (;6;)))
  (core func $"#core-func14 indirect-wasi:http/types@0.2.0-[method]outgoing-body.write" (@name "indirect-wasi:http/types@0.2.0-[method]outgoing-body.write") (;14;) (canon lower (func $"[method]outgoing-body.write") (memory $memory)))
  (alias export $wasi:http/types@0.2.0 "[static]outgoing-body.finish" (func $"[static]outgoing-body.finish" (;7;)))
  (alias core export $main "cabi_realloc" (core func $cabi_realloc (;15;)))
  (core func $"#core-func16 indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish" (@name "indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish") (;16;) (canon lower (func $"[static]outgoing-body.finish") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:http/types@0.2.0 "[static]response-outparam.set" (func $"[static]response-outparam.set" (;8;)))
  (core func $"#core-func17 indirect-wasi:http/types@0.2.0-[static]response-outparam.set" (@name "indirect-wasi:http/types@0.2.0-[static]response-outparam.set") (;17;) (canon lower (func $"[static]response-outparam.set") (memory $memory) string-encoding=utf8))
  (alias export $wasi:http/types@0.2.0 "[method]incoming-request.path-with-query" (func $"[method]incoming-request.path-with-query" (;9;)))
  (core func $"#core-func18 indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query" (@name "indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query") (;18;) (canon lower (func $"[method]incoming-request.path-with-query") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:io/streams@0.2.0 "[method]output-stream.blocking-write-and-flush" (func $"[method]output-stream.blocking-write-and-flush" (;10;)))
  (core func $"#core-func19 indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush" (@name "indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush") (;19;) (canon lower (func $"[method]output-stream.blocking-write-and-flush") (memory $memory)))
  (core instance $actual (;6;)
    (export "0" (func $"#core-func13 indirect-wasi:http/types@0.2.0-[method]outgoing-response.body"))
    (export "1" (func $"#core-func14 indirect-wasi:http/types@0.2.0-[method]outgoing-body.write"))
    (export "2" (func $"#core-func16 indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish"))
    (export "3" (func $"#core-func17 indirect-wasi:http/types@0.2.0-[static]response-outparam.set"))
    (export "4" (func $"#core-func18 indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query"))
    (export "5" (func $"#core-func19 indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush"))
  )
  (core instance $fixup (;7;) (instantiate $wit-component-fixup
      (with "actual" (instance $actual))
      (with "shim" (instance $wit-component-shim-instance))
    )
  )
  (type (;12;) (own $incoming-request))
  (type (;13;) (own $response-outparam))
  (type (;14;) (func (param "request" 12) (param "response-out" 13)))
  (alias core export $main "wasi:http/incoming-handler@0.2.0#handle" (core func $wasi:http/incoming-handler@0.2.0#handle (;20;)))
  (func $handle (;11;) (type 14) (canon lift (core func $wasi:http/incoming-handler@0.2.0#handle)))
  (component $wasi:http/incoming-handler@0.2.0-shim-component (;0;)
    (import "import-type-incoming-request" (type (;0;) (sub resource)))
    (import "import-type-response-outparam" (type (;1;) (sub resource)))
    (import "import-type-incoming-request0" (type (;2;) (eq 0)))
    (type (;3;) (own 2))
    (import "import-type-response-outparam0" (type (;4;) (eq 1)))
    (type (;5;) (own 4))
    (type (;6;) (func (param "request" 3) (param "response-out" 5)))
    (import "import-func-handle" (func (;0;) (type 6)))
    (export (;7;) "incoming-request" (type 0))
    (export (;8;) "response-outparam" (type 1))
    (type (;9;) (own 7))
    (type (;10;) (own 8))
    (type (;11;) (func (param "request" 9) (param "response-out" 10)))
    (export (;1;) "handle" (func 0) (func (type 11)))
  )
  (instance $wasi:http/incoming-handler@0.2.0-shim-instance (;5;) (instantiate $wasi:http/incoming-handler@0.2.0-shim-component
      (with "import-func-handle" (func $handle))
      (with "import-type-incoming-request" (type $incoming-request))
      (with "import-type-response-outparam" (type $response-outparam))
      (with "import-type-incoming-request0" (type $incoming-request))
      (with "import-type-response-outparam0" (type $response-outparam))
    )
  )
  (export $wasi:http/incoming-handler@0.2.0 (;6;) "wasi:http/incoming-handler@0.2.0" (instance $wasi:http/incoming-handler@0.2.0-shim-instance))
)
