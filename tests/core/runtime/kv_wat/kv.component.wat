(component
  (type $ty-wasi:keyvalue/store@0.2.0-draft2 (;0;)
    (instance
      (export (;0;) "bucket" (type (sub resource)))
      (type (;1;) (variant (case "no-such-store") (case "access-denied") (case "other" string)))
      (export (;2;) "error" (type (eq 1)))
      (type (;3;) (borrow 0))
      (type (;4;) (list u8))
      (type (;5;) (option 4))
      (type (;6;) (result 5 (error 2)))
      (type (;7;) (func (param "self" 3) (param "key" string) (result 6)))
      (export (;0;) "[method]bucket.get" (func (type 7)))
      (type (;8;) (result (error 2)))
      (type (;9;) (func (param "self" 3) (param "key" string) (param "value" 4) (result 8)))
      (export (;1;) "[method]bucket.set" (func (type 9)))
      (type (;10;) (own 0))
      (type (;11;) (result 10 (error 2)))
      (type (;12;) (func (param "identifier" string) (result 11)))
      (export (;2;) "open" (func (type 12)))
    )
  )
  (import "wasi:keyvalue/store@0.2.0-draft2" (instance $wasi:keyvalue/store@0.2.0-draft2 (;0;) (type $ty-wasi:keyvalue/store@0.2.0-draft2)))
  (type $ty-wasi:config/store@0.2.0-draft-2024-09-27 (;1;)
    (instance
      (type (;0;) (variant (case "upstream" string) (case "io" string)))
      (export (;1;) "error" (type (eq 0)))
      (type (;2;) (option string))
      (type (;3;) (result 2 (error 1)))
      (type (;4;) (func (param "key" string) (result 3)))
      (export (;0;) "get" (func (type 4)))
    )
  )
  (import "wasi:config/store@0.2.0-draft-2024-09-27" (instance $wasi:config/store@0.2.0-draft-2024-09-27 (;1;) (type $ty-wasi:config/store@0.2.0-draft-2024-09-27)))
  (type $ty-fermyon:spin/key-value@2.0.0 (;2;)
    (instance
      (export (;0;) "store" (type (sub resource)))
      (type (;1;) (variant (case "store-table-full") (case "no-such-store") (case "access-denied") (case "other" string)))
      (export (;2;) "error" (type (eq 1)))
      (type (;3;) (own 0))
      (type (;4;) (result 3 (error 2)))
      (type (;5;) (func (param "label" string) (result 4)))
      (export (;0;) "[static]store.open" (func (type 5)))
      (type (;6;) (borrow 0))
      (type (;7;) (list u8))
      (type (;8;) (option 7))
      (type (;9;) (result 8 (error 2)))
      (type (;10;) (func (param "self" 6) (param "key" string) (result 9)))
      (export (;1;) "[method]store.get" (func (type 10)))
    )
  )
  (import "fermyon:spin/key-value@2.0.0" (instance $fermyon:spin/key-value@2.0.0 (;2;) (type $ty-fermyon:spin/key-value@2.0.0)))
  (type $ty-fermyon:spin/variables@2.0.0 (;3;)
    (instance
      (type (;0;) (variant (case "invalid-name" string) (case "undefined" string) (case "provider" string) (case "other" string)))
      (export (;1;) "error" (type (eq 0)))
      (type (;2;) (result string (error 1)))
      (type (;3;) (func (param "name" string) (result 2)))
      (export (;0;) "get" (func (type 3)))
    )
  )
  (import "fermyon:spin/variables@2.0.0" (instance $fermyon:spin/variables@2.0.0 (;3;) (type $ty-fermyon:spin/variables@2.0.0)))
  (type $ty-wasi:io/error@0.2.0 (;4;)
    (instance
      (export (;0;) "error" (type (sub resource)))
    )
  )
  (import "wasi:io/error@0.2.0" (instance $wasi:io/error@0.2.0 (;4;) (type $ty-wasi:io/error@0.2.0)))
  (alias export $wasi:io/error@0.2.0 "error" (type $error (;5;)))
  (type $ty-wasi:io/streams@0.2.0 (;6;)
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
  (import "wasi:io/streams@0.2.0" (instance $wasi:io/streams@0.2.0 (;5;) (type $ty-wasi:io/streams@0.2.0)))
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $output-stream (;7;)))
  (type $ty-wasi:cli/stdout@0.2.0 (;8;)
    (instance
      (alias outer 1 $output-stream (type (;0;)))
      (export (;1;) "output-stream" (type (eq 0)))
      (type (;2;) (own 1))
      (type (;3;) (func (result 2)))
      (export (;0;) "get-stdout" (func (type 3)))
    )
  )
  (import "wasi:cli/stdout@0.2.0" (instance $wasi:cli/stdout@0.2.0 (;6;) (type $ty-wasi:cli/stdout@0.2.0)))
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $"#type9 output-stream" (@name "output-stream") (;9;)))
  (type $ty-wasi:http/types@0.2.0 (;10;)
    (instance
      (export (;0;) "fields" (type (sub resource)))
      (export (;1;) "headers" (type (eq 0)))
      (export (;2;) "outgoing-response" (type (sub resource)))
      (export (;3;) "outgoing-body" (type (sub resource)))
      (alias outer 1 $"#type9 output-stream" (type (;4;)))
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
  (import "wasi:http/types@0.2.0" (instance $wasi:http/types@0.2.0 (;7;) (type $ty-wasi:http/types@0.2.0)))
  (type $ty-wasi:http/outgoing-handler@0.2.0 (;11;)
    (instance
      (type (;0;) (func))
      (export (;0;) "frobnicate" (func (type 0)))
    )
  )
  (import "wasi:http/outgoing-handler@0.2.0" (instance $wasi:http/outgoing-handler@0.2.0 (;8;) (type $ty-wasi:http/outgoing-handler@0.2.0)))
  (core module $main (;0;)
    (type (;0;) (func (result i32)))
    (type (;1;) (func (param i32) (result i32)))
    (type (;2;) (func (param i32 i32) (result i32)))
    (type (;3;) (func (param i32 i32)))
    (type (;4;) (func (param i32 i32 i32 i32)))
    (type (;5;) (func (param i32 i32 i32 i32 i32 i32)))
    (type (;6;) (func (param i32)))
    (type (;7;) (func))
    (type (;8;) (func (param i32 i32 i32)))
    (type (;9;) (func (param i32 i32 i32 i32) (result i32)))
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
    (import "wasi:keyvalue/store@0.2.0-draft2" "open" (func $kv_open (;13;) (type 8) (param i32 i32 i32)))
    (import "wasi:keyvalue/store@0.2.0-draft2" "[method]bucket.set" (func $kv_set (;14;) (type 5) (param i32 i32 i32 i32 i32 i32)))
    (import "wasi:keyvalue/store@0.2.0-draft2" "[method]bucket.get" (func $kv_get (;15;) (type 4) (param i32 i32 i32 i32)))
    (import "wasi:keyvalue/store@0.2.0-draft2" "[resource-drop]bucket" (func $kv_drop (;16;) (type 6) (param i32)))
    (import "wasi:config/store@0.2.0-draft-2024-09-27" "get" (func $config_get (;17;) (type 8) (param i32 i32 i32)))
    (import "fermyon:spin/variables@2.0.0" "get" (func $var_get (;18;) (type 8) (param i32 i32 i32)))
    (import "fermyon:spin/key-value@2.0.0" "[static]store.open" (func $spin_open (;19;) (type 8) (param i32 i32 i32)))
    (import "fermyon:spin/key-value@2.0.0" "[method]store.get" (func $spin_get (;20;) (type 4) (param i32 i32 i32 i32)))
    (import "fermyon:spin/key-value@2.0.0" "[resource-drop]store" (func $spin_drop (;21;) (type 6) (param i32)))
    (memory (;0;) 1)
    (global $heap (;0;) (mut i32) i32.const 4096)
    (export "memory" (memory 0))
    (export "cabi_realloc" (func 22))
    (export "wasi:http/incoming-handler@0.2.0#handle" (func 26))
    (func (;22;) (type 9) (param i32 i32 i32 i32) (result i32)
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
    (func $hi (;23;) (type 3) (param $req i32) (param $out i32)
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
    (func $say (;24;) (type 4) (param $pp i32) (param $pl i32) (param $p i32) (param $l i32)
      (local $so i32)
      call $stdout
      local.set $so
      local.get $so
      local.get $pp
      local.get $pl
      i32.const 0
      call $write
      local.get $so
      local.get $p
      local.get $l
      i32.const 0
      call $write
      local.get $so
      i32.const 18
      i32.const 1
      i32.const 0
      call $write
      local.get $so
      call $drop_stream
    )
    (func $kv (;25;) (type 3) (param $req i32) (param $out i32)
      (local $b i32) (local $s i32)
      i32.const 4096
      global.set $heap
      i32.const 0
      i32.const 0
      i32.const 1024
      call $kv_open
      i32.const 1024
      i32.load8_u
      if ;; label = @1
        i32.const 284
        i32.const 8
        i32.const 0
        i32.const 0
        call $say
      else
        i32.const 1028
        i32.load
        local.set $b
        local.get $b
        i32.const 200
        i32.const 9
        i32.const 210
        i32.const 7
        i32.const 1024
        call $kv_set
        local.get $b
        i32.const 220
        i32.const 8
        i32.const 1024
        call $kv_get
        i32.const 1024
        i32.load8_u
        i32.eqz
        i32.const 1028
        i32.load8_u
        i32.and
        if ;; label = @2
          i32.const 260
          i32.const 3
          i32.const 1032
          i32.load
          i32.const 1036
          i32.load
          call $say
        else
          i32.const 260
          i32.const 3
          i32.const 294
          i32.const 5
          call $say
        end
        local.get $b
        call $kv_drop
      end
      i32.const 230
      i32.const 9
      i32.const 1024
      call $config_get
      i32.const 1024
      i32.load8_u
      i32.eqz
      i32.const 1028
      i32.load8_u
      i32.and
      if ;; label = @1
        i32.const 264
        i32.const 6
        i32.const 1032
        i32.load
        i32.const 1036
        i32.load
        call $say
      else
        i32.const 264
        i32.const 6
        i32.const 294
        i32.const 5
        call $say
      end
      i32.const 240
      i32.const 9
      i32.const 1024
      call $var_get
      i32.const 1024
      i32.load8_u
      i32.eqz
      if ;; label = @1
        i32.const 272
        i32.const 4
        i32.const 1028
        i32.load
        i32.const 1032
        i32.load
        call $say
      else
        i32.const 272
        i32.const 4
        i32.const 294
        i32.const 5
        call $say
      end
      i32.const 250
      i32.const 7
      i32.const 1024
      call $spin_open
      i32.const 1024
      i32.load8_u
      i32.eqz
      if ;; label = @1
        i32.const 1028
        i32.load
        local.set $s
        local.get $s
        i32.const 200
        i32.const 9
        i32.const 1024
        call $spin_get
        i32.const 1024
        i32.load8_u
        i32.eqz
        i32.const 1028
        i32.load8_u
        i32.and
        if ;; label = @2
          i32.const 278
          i32.const 5
          i32.const 1032
          i32.load
          i32.const 1036
          i32.load
          call $say
        else
          i32.const 278
          i32.const 5
          i32.const 294
          i32.const 5
          call $say
        end
        local.get $s
        call $spin_drop
      else
        i32.const 278
        i32.const 5
        i32.const 284
        i32.const 8
        call $say
      end
      local.get $req
      local.get $out
      call $hi
    )
    (func (;26;) (type 3) (param $req i32) (param $out i32)
      local.get $req
      local.get $out
      call $kv
    )
    (data (;0;) (i32.const 200) "from-wasm")
    (data (;1;) (i32.const 210) "written")
    (data (;2;) (i32.const 220) "greeting")
    (data (;3;) (i32.const 230) "API_TOKEN")
    (data (;4;) (i32.const 240) "api_token")
    (data (;5;) (i32.const 250) "default")
    (data (;6;) (i32.const 260) "kv=")
    (data (;7;) (i32.const 264) "token=")
    (data (;8;) (i32.const 272) "var=")
    (data (;9;) (i32.const 278) "spin=")
    (data (;10;) (i32.const 284) "no-store")
    (data (;11;) (i32.const 294) "unset")
    (data (;12;) (i32.const 16) "hi\0a")
    (data (;13;) (i32.const 32) "said hi path=")
  )
  (core module $wit-component-shim-module (;1;)
    (type (;0;) (func (param i32 i32)))
    (type (;1;) (func (param i32 i32 i32 i32)))
    (type (;2;) (func (param i32 i32 i32 i32 i32 i32)))
    (type (;3;) (func (param i32 i32 i32)))
    (table (;0;) 13 13 funcref)
    (export "0" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-response.body"))
    (export "1" (func $"indirect-wasi:http/types@0.2.0-[method]outgoing-body.write"))
    (export "2" (func $"indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish"))
    (export "3" (func $"indirect-wasi:http/types@0.2.0-[static]response-outparam.set"))
    (export "4" (func $"indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query"))
    (export "5" (func $"indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush"))
    (export "6" (func $indirect-wasi:keyvalue/store@0.2.0-draft2-open))
    (export "7" (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set"))
    (export "8" (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get"))
    (export "9" (func $indirect-wasi:config/store@0.2.0-draft-2024-09-27-get))
    (export "10" (func $indirect-fermyon:spin/variables@2.0.0-get))
    (export "11" (func $"indirect-fermyon:spin/key-value@2.0.0-[static]store.open"))
    (export "12" (func $"indirect-fermyon:spin/key-value@2.0.0-[method]store.get"))
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
    (func $indirect-wasi:keyvalue/store@0.2.0-draft2-open (;6;) (type 3) (param i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      i32.const 6
      call_indirect (type 3)
    )
    (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set" (;7;) (type 2) (param i32 i32 i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      local.get 4
      local.get 5
      i32.const 7
      call_indirect (type 2)
    )
    (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get" (;8;) (type 1) (param i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 8
      call_indirect (type 1)
    )
    (func $indirect-wasi:config/store@0.2.0-draft-2024-09-27-get (;9;) (type 3) (param i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      i32.const 9
      call_indirect (type 3)
    )
    (func $indirect-fermyon:spin/variables@2.0.0-get (;10;) (type 3) (param i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      i32.const 10
      call_indirect (type 3)
    )
    (func $"indirect-fermyon:spin/key-value@2.0.0-[static]store.open" (;11;) (type 3) (param i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      i32.const 11
      call_indirect (type 3)
    )
    (func $"indirect-fermyon:spin/key-value@2.0.0-[method]store.get" (;12;) (type 1) (param i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 12
      call_indirect (type 1)
    )
  )
  (core instance $wit-component-shim-instance (;0;) (instantiate $wit-component-shim-module))
  (alias export $wasi:http/types@0.2.0 "incoming-request" (type $incoming-request (;12;)))
  (alias export $wasi:http/types@0.2.0 "response-outparam" (type $response-outparam (;13;)))
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
  (alias export $wasi:http/types@0.2.0 "incoming-request" (type $"#type14 incoming-request" (@name "incoming-request") (;14;)))
  (core func $resource.drop (;8;) (canon resource.drop $"#type14 incoming-request"))
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
  (alias export $wasi:io/streams@0.2.0 "output-stream" (type $"#type15 output-stream" (@name "output-stream") (;15;)))
  (core func $"#core-func10 resource.drop" (@name "resource.drop") (;10;) (canon resource.drop $"#type15 output-stream"))
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
  (alias core export $wit-component-shim-instance "6" (core func $indirect-wasi:keyvalue/store@0.2.0-draft2-open (;13;)))
  (alias core export $wit-component-shim-instance "7" (core func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set" (;14;)))
  (alias core export $wit-component-shim-instance "8" (core func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get" (;15;)))
  (alias export $wasi:keyvalue/store@0.2.0-draft2 "bucket" (type $bucket (;16;)))
  (core func $"#core-func16 resource.drop" (@name "resource.drop") (;16;) (canon resource.drop $bucket))
  (core instance $wasi:keyvalue/store@0.2.0-draft2 (;5;)
    (export "open" (func $indirect-wasi:keyvalue/store@0.2.0-draft2-open))
    (export "[method]bucket.set" (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set"))
    (export "[method]bucket.get" (func $"indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get"))
    (export "[resource-drop]bucket" (func $"#core-func16 resource.drop"))
  )
  (alias core export $wit-component-shim-instance "9" (core func $indirect-wasi:config/store@0.2.0-draft-2024-09-27-get (;17;)))
  (core instance $wasi:config/store@0.2.0-draft-2024-09-27 (;6;)
    (export "get" (func $indirect-wasi:config/store@0.2.0-draft-2024-09-27-get))
  )
  (alias core export $wit-component-shim-instance "10" (core func $indirect-fermyon:spin/variables@2.0.0-get (;18;)))
  (core instance $fermyon:spin/variables@2.0.0 (;7;)
    (export "get" (func $indirect-fermyon:spin/variables@2.0.0-get))
  )
  (alias core export $wit-component-shim-instance "11" (core func $"indirect-fermyon:spin/key-value@2.0.0-[static]store.open" (;19;)))
  (alias core export $wit-component-shim-instance "12" (core func $"indirect-fermyon:spin/key-value@2.0.0-[method]store.get" (;20;)))
  (alias export $fermyon:spin/key-value@2.0.0 "store" (type $store (;17;)))
  (core func $"#core-func21 resource.drop" (@name "resource.drop") (;21;) (canon resource.drop $store))
  (core instance $fermyon:spin/key-value@2.0.0 (;8;)
    (export "[static]store.open" (func $"indirect-fermyon:spin/key-value@2.0.0-[static]store.open"))
    (export "[method]store.get" (func $"indirect-fermyon:spin/key-value@2.0.0-[method]store.get"))
    (export "[resource-drop]store" (func $"#core-func21 resource.drop"))
  )
  (core instance $main (;9;) (instantiate $main
      (with "wasi:http/types@0.2.0" (instance $wasi:http/types@0.2.0))
      (with "wasi:io/streams@0.2.0" (instance $wasi:io/streams@0.2.0))
      (with "wasi:cli/stdout@0.2.0" (instance $wasi:cli/stdout@0.2.0))
      (with "wasi:http/outgoing-handler@0.2.0" (instance $wasi:http/outgoing-handler@0.2.0))
      (with "wasi:keyvalue/store@0.2.0-draft2" (instance $wasi:keyvalue/store@0.2.0-draft2))
      (with "wasi:config/store@0.2.0-draft-2024-09-27" (instance $wasi:config/store@0.2.0-draft-2024-09-27))
      (with "fermyon:spin/variables@2.0.0" (instance $fermyon:spin/variables@2.0.0))
      (with "fermyon:spin/key-value@2.0.0" (instance $fermyon:spin/key-value@2.0.0))
    )
  )
  (alias core export $main "memory" (core memory $memory (;0;)))
  (core module $wit-component-fixup (;2;)
    (type (;0;) (func (param i32 i32)))
    (type (;1;) (func (param i32 i32 i32 i32)))
    (type (;2;) (func (param i32 i32 i32 i32 i32 i32)))
    (type (;3;) (func (param i32 i32 i32)))
    (import "actual" "0" (func $0 (;0;) (type 0) (param i32 i32)))
    (import "actual" "1" (func $1 (;1;) (type 0) (param i32 i32)))
    (import "actual" "2" (func $2 (;2;) (type 1) (param i32 i32 i32 i32)))
    (import "actual" "3" (func $3 (;3;) (type 2) (param i32 i32 i32 i32 i32 i32)))
    (import "actual" "4" (func $4 (;4;) (type 0) (param i32 i32)))
    (import "actual" "5" (func $5 (;5;) (type 1) (param i32 i32 i32 i32)))
    (import "actual" "6" (func $6 (;6;) (type 3) (param i32 i32 i32)))
    (import "actual" "7" (func $7 (;7;) (type 2) (param i32 i32 i32 i32 i32 i32)))
    (import "actual" "8" (func $8 (;8;) (type 1) (param i32 i32 i32 i32)))
    (import "actual" "9" (func $9 (;9;) (type 3) (param i32 i32 i32)))
    (import "actual" "10" (func $10 (;10;) (type 3) (param i32 i32 i32)))
    (import "actual" "11" (func $11 (;11;) (type 3) (param i32 i32 i32)))
    (import "actual" "12" (func $12 (;12;) (type 1) (param i32 i32 i32 i32)))
    (import "shim" "$imports" (table (;0;) 13 13 funcref))
    (elem (;0;) (i32.const 0) func $0 $1 $2 $3 $4 $5 $6 $7 $8 $9 $10 $11 $12)
  )
  (alias export $wasi:http/types@0.2.0 "[method]outgoing-response.body" (func $"[method]outgoing-response.body" (;5;)))
  (core func $"#core-func22 indirect-wasi:http/types@0.2.0-[method]outgoing-response.body" (@name "indirect-wasi:http/types@0.2.0-[method]outgoing-response.body") (;22;) (canon lower (func $"[method]outgoing-response.body") (memory $memory)))
  (alias export $wasi:http/types@0.2.0 "[method]outgoing-body.write" (func $"[method]outgoing-body.write" (;6;)))
  (core func $"#core-func23 indirect-wasi:http/types@0.2.0-[method]outgoing-body.write" (@name "indirect-wasi:http/types@0.2.0-[method]outgoing-body.write") (;23;) (canon lower (func $"[method]outgoing-body.write") (memory $memory)))
  (alias export $wasi:http/types@0.2.0 "[static]outgoing-body.finish" (func $"[static]outgoing-body.finish" (;7;)))
  (alias core export $main "cabi_realloc" (core func $cabi_realloc (;24;)))
  (core func $"#core-func25 indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish" (@name "indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish") (;25;) (canon lower (func $"[static]outgoing-body.finish") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:http/types@0.2.0 "[static]response-outparam.set" (func $"[static]response-outparam.set" (;8;)))
  (core func $"#core-func26 indirect-wasi:http/types@0.2.0-[static]response-outparam.set" (@name "indirect-wasi:http/types@0.2.0-[static]response-outparam.set") (;26;) (canon lower (func $"[static]response-outparam.set") (memory $memory) string-encoding=utf8))
  (alias export $wasi:http/types@0.2.0 "[method]incoming-request.path-with-query" (func $"[method]incoming-request.path-with-query" (;9;)))
  (core func $"#core-func27 indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query" (@name "indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query") (;27;) (canon lower (func $"[method]incoming-request.path-with-query") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:io/streams@0.2.0 "[method]output-stream.blocking-write-and-flush" (func $"[method]output-stream.blocking-write-and-flush" (;10;)))
  (core func $"#core-func28 indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush" (@name "indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush") (;28;) (canon lower (func $"[method]output-stream.blocking-write-and-flush") (memory $memory)))
  (alias export $wasi:keyvalue/store@0.2.0-draft2 "open" (func $open (;11;)))
  (core func $"#core-func29 indirect-wasi:keyvalue/store@0.2.0-draft2-open" (@name "indirect-wasi:keyvalue/store@0.2.0-draft2-open") (;29;) (canon lower (func $open) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:keyvalue/store@0.2.0-draft2 "[method]bucket.set" (func $"[method]bucket.set" (;12;)))
  (core func $"#core-func30 indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set" (@name "indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set") (;30;) (canon lower (func $"[method]bucket.set") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:keyvalue/store@0.2.0-draft2 "[method]bucket.get" (func $"[method]bucket.get" (;13;)))
  (core func $"#core-func31 indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get" (@name "indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get") (;31;) (canon lower (func $"[method]bucket.get") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $wasi:config/store@0.2.0-draft-2024-09-27 "get" (func $get (;14;)))
  (core func $"#core-func32 indirect-wasi:config/store@0.2.0-draft-2024-09-27-get" (@name "indirect-wasi:config/store@0.2.0-draft-2024-09-27-get") (;32;) (canon lower (func $get) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $fermyon:spin/variables@2.0.0 "get" (func $"#func15 get" (@name "get") (;15;)))
  (core func $"#core-func33 indirect-fermyon:spin/variables@2.0.0-get" (@name "indirect-fermyon:spin/variables@2.0.0-get") (;33;) (canon lower (func $"#func15 get") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $fermyon:spin/key-value@2.0.0 "[static]store.open" (func $"[static]store.open" (;16;)))
  (core func $"#core-func34 indirect-fermyon:spin/key-value@2.0.0-[static]store.open" (@name "indirect-fermyon:spin/key-value@2.0.0-[static]store.open") (;34;) (canon lower (func $"[static]store.open") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $fermyon:spin/key-value@2.0.0 "[method]store.get" (func $"[method]store.get" (;17;)))
  (core func $"#core-func35 indirect-fermyon:spin/key-value@2.0.0-[method]store.get" (@name "indirect-fermyon:spin/key-value@2.0.0-[method]store.get") (;35;) (canon lower (func $"[method]store.get") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (core instance $actual (;10;)
    (export "0" (func $"#core-func22 indirect-wasi:http/types@0.2.0-[method]outgoing-response.body"))
    (export "1" (func $"#core-func23 indirect-wasi:http/types@0.2.0-[method]outgoing-body.write"))
    (export "2" (func $"#core-func25 indirect-wasi:http/types@0.2.0-[static]outgoing-body.finish"))
    (export "3" (func $"#core-func26 indirect-wasi:http/types@0.2.0-[static]response-outparam.set"))
    (export "4" (func $"#core-func27 indirect-wasi:http/types@0.2.0-[method]incoming-request.path-with-query"))
    (export "5" (func $"#core-func28 indirect-wasi:io/streams@0.2.0-[method]output-stream.blocking-write-and-flush"))
    (export "6" (func $"#core-func29 indirect-wasi:keyvalue/store@0.2.0-draft2-open"))
    (export "7" (func $"#core-func30 indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.set"))
    (export "8" (func $"#core-func31 indirect-wasi:keyvalue/store@0.2.0-draft2-[method]bucket.get"))
    (export "9" (func $"#core-func32 indirect-wasi:config/store@0.2.0-draft-2024-09-27-get"))
    (export "10" (func $"#core-func33 indirect-fermyon:spin/variables@2.0.0-get"))
    (export "11" (func $"#core-func34 indirect-fermyon:spin/key-value@2.0.0-[static]store.open"))
    (export "12" (func $"#core-func35 indirect-fermyon:spin/key-value@2.0.0-[method]store.get"))
  )
  (core instance $fixup (;11;) (instantiate $wit-component-fixup
      (with "actual" (instance $actual))
      (with "shim" (instance $wit-component-shim-instance))
    )
  )
  (type (;18;) (own $incoming-request))
  (type (;19;) (own $response-outparam))
  (type (;20;) (func (param "request" 18) (param "response-out" 19)))
  (alias core export $main "wasi:http/incoming-handler@0.2.0#handle" (core func $wasi:http/incoming-handler@0.2.0#handle (;36;)))
  (func $handle (;18;) (type 20) (canon lift (core func $wasi:http/incoming-handler@0.2.0#handle)))
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
  (instance $wasi:http/incoming-handler@0.2.0-shim-instance (;9;) (instantiate $wasi:http/incoming-handler@0.2.0-shim-component
      (with "import-func-handle" (func $handle))
      (with "import-type-incoming-request" (type $incoming-request))
      (with "import-type-response-outparam" (type $response-outparam))
      (with "import-type-incoming-request0" (type $incoming-request))
      (with "import-type-response-outparam0" (type $response-outparam))
    )
  )
  (export $wasi:http/incoming-handler@0.2.0 (;10;) "wasi:http/incoming-handler@0.2.0" (instance $wasi:http/incoming-handler@0.2.0-shim-instance))
)
