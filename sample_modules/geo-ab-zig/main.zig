//! geo-ab-zig: geo redirects and an A/B split, decided from request headers.
//!
//!   GET /            302 to /fr/, /de/ or /en/ from the `x-geo-country` header that
//!                    edge platforms set (cf-ipcountry, x-vercel-ip-country, ...)
//!   GET /{lang}/     a greeting in that language
//!   GET /checkout    variant "new" or "classic": forced by the `x-flag-new-checkout`
//!                    header (set by the hooks.toml flag rule), else a stable 20% of
//!                    users by FNV-1a hash of `x-user-id`
//!
//! Edge ABI: export `alloc` and `handle`; `memory` is exported by the linker.

const std = @import("std");

var request_buf: [16 * 1024]u8 = undefined;
var out_buf: [4 * 1024]u8 = undefined;

/// The host asks for room for the request; one request at a time, so one buffer.
export fn alloc(len: usize) ?[*]u8 {
    if (len > request_buf.len) return null;
    return &request_buf;
}

const Request = struct {
    method: []const u8,
    path: []const u8,
    headers: []const u8,

    fn parse(raw: []const u8) ?Request {
        const line_end = std.mem.indexOf(u8, raw, "\r\n") orelse return null;
        var parts = std.mem.splitScalar(u8, raw[0..line_end], ' ');
        const method = parts.next() orelse return null;
        const target = parts.next() orelse return null;
        const path_end = std.mem.indexOfScalar(u8, target, '?') orelse target.len;
        const head_end = std.mem.indexOf(u8, raw, "\r\n\r\n") orelse raw.len;
        const headers = if (line_end + 2 <= head_end) raw[line_end + 2 .. head_end] else "";
        return .{ .method = method, .path = target[0..path_end], .headers = headers };
    }

    /// Case-insensitive header lookup.
    fn header(self: Request, name: []const u8) ?[]const u8 {
        var lines = std.mem.splitSequence(u8, self.headers, "\r\n");
        while (lines.next()) |line| {
            const colon = std.mem.indexOfScalar(u8, line, ':') orelse continue;
            if (std.ascii.eqlIgnoreCase(line[0..colon], name))
                return std.mem.trim(u8, line[colon + 1 ..], " ");
        }
        return null;
    }
};

/// Appends to out_buf after the 4-byte length prefix (silently truncating when full:
/// out_buf is sized for the responses below).
const Writer = struct {
    len: usize = 4,

    fn put(self: *Writer, s: []const u8) void {
        const n = @min(s.len, out_buf.len - self.len);
        @memcpy(out_buf[self.len .. self.len + n], s[0..n]);
        self.len += n;
    }

    fn putInt(self: *Writer, v: usize) void {
        var tmp: [20]u8 = undefined;
        var i: usize = tmp.len;
        var x = v;
        while (true) {
            i -= 1;
            tmp[i] = @intCast('0' + x % 10);
            x /= 10;
            if (x == 0) break;
        }
        self.put(tmp[i..]);
    }

    /// Prefix the length and hand the response to the host.
    fn finish(self: *Writer) u32 {
        std.mem.writeInt(u32, out_buf[0..4], @intCast(self.len - 4), .little);
        return @intCast(@intFromPtr(&out_buf));
    }
};

fn respond(status: []const u8, extra_headers: []const u8, body: []const u8) u32 {
    var w = Writer{};
    w.put("HTTP/1.1 ");
    w.put(status);
    w.put("\r\ncontent-type: text/html; charset=utf-8\r\n");
    w.put(extra_headers);
    w.put("content-length: ");
    w.putInt(body.len);
    w.put("\r\n\r\n");
    w.put(body);
    return w.finish();
}

fn redirect(location: []const u8) u32 {
    var w = Writer{};
    w.put("HTTP/1.1 302 Found\r\nlocation: ");
    w.put(location);
    w.put("\r\nvary: x-geo-country\r\ncache-control: private\r\ncontent-length: 0\r\n\r\n");
    return w.finish();
}

/// One language: its home page, the countries sent there, and its greeting.
const Lang = struct { home: []const u8, countries: []const []const u8, hello: []const u8 };

const langs = [_]Lang{
    .{ .home = "/fr/", .countries = &.{ "FR", "BE", "LU", "MC" }, .hello = "Bonjour" },
    .{ .home = "/de/", .countries = &.{ "DE", "AT", "CH", "LI" }, .hello = "Hallo" },
    .{ .home = "/en/", .countries = &.{}, .hello = "Hello" }, // the default
};

fn langFor(country: ?[]const u8) Lang {
    const c = country orelse return langs[2];
    for (langs) |lang| {
        for (lang.countries) |cc| if (std.ascii.eqlIgnoreCase(cc, c)) return lang;
    }
    return langs[2];
}

/// Stable bucket 0..99 for a user id: the same user always sees the same variant.
fn bucket(user_id: []const u8) u32 {
    var h: u32 = 0x811c9dc5;
    for (user_id) |b| {
        h ^= b;
        h *%= 0x01000193;
    }
    return h % 100;
}

const new_checkout_percent = 20;

fn checkout(req: Request) u32 {
    const forced = if (req.header("x-flag-new-checkout")) |v| std.mem.eql(u8, v, "on") else false;
    const in_rollout = if (req.header("x-user-id")) |id| bucket(id) < new_checkout_percent else false;
    if (forced or in_rollout)
        return respond("200 OK", "x-variant: new\r\ncache-control: private\r\n",
            "<h1>Checkout</h1><p>One page, one click.</p>\n");
    return respond("200 OK", "x-variant: classic\r\ncache-control: private\r\n",
        "<h1>Checkout</h1><p>Step 1 of 3</p>\n");
}

export fn handle(ptr: [*]const u8, len: usize) u32 {
    const req = Request.parse(ptr[0..len]) orelse return respond("400 Bad Request", "", "bad request\n");
    if (!std.mem.eql(u8, req.method, "GET"))
        return respond("405 Method Not Allowed", "allow: GET\r\n", "only GET\n");
    if (std.mem.eql(u8, req.path, "/")) return redirect(langFor(req.header("x-geo-country")).home);
    if (std.mem.eql(u8, req.path, "/checkout")) return checkout(req);
    for (langs) |lang| {
        if (std.mem.eql(u8, req.path, lang.home)) {
            var body: [64]u8 = undefined;
            const text = std.fmt.bufPrint(&body, "<h1>{s}!</h1>\n", .{lang.hello}) catch "<h1>Hi</h1>\n";
            return respond("200 OK", "cache-control: public, max-age=300\r\n", text);
        }
    }
    return respond("404 Not Found", "", "<h1>Not found</h1>\n");
}
