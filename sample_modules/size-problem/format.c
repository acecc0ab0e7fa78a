/* format.c: a printf-style formatter, "because it is convenient".
 *
 * Problem 3 of size-problem (README.md): a general formatter (flags, width, precision,
 * integers in four bases, floats in %f/%e/%g, strings, chars, pointers) compiled into a
 * handler that needs exactly one number format. Most of its code is never exercised.
 */
#include <stdarg.h>
#include <stddef.h>

typedef struct { char *p; size_t len, cap; } out_t;

static void emit(out_t *o, char c) { if (o->len + 1 < o->cap) o->p[o->len] = c; o->len++; }

static void pad(out_t *o, int n, char c) { while (n-- > 0) emit(o, c); }

static void emit_number(out_t *o, unsigned long long v, int base, int upper, int neg,
                        int width, int prec, int left, char padc, char sign) {
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[64];
    int n = 0;
    do { tmp[n++] = digits[v % (unsigned)base]; v /= (unsigned)base; } while (v);
    while (n < prec) tmp[n++] = '0';
    char s = neg ? '-' : sign;
    int total = n + (s ? 1 : 0);
    if (!left && padc == ' ') pad(o, width - total, ' ');
    if (s) emit(o, s);
    if (!left && padc == '0') pad(o, width - total, '0');
    while (n) emit(o, tmp[--n]);
    if (left) pad(o, width - total, ' ');
}

static double pow10i(int e) {
    double r = 1;
    while (e > 0) { r *= 10; e--; }
    while (e < 0) { r /= 10; e++; }
    return r;
}

static void emit_float(out_t *o, double v, char conv, int width, int prec, int left,
                       char padc, char sign) {
    char tmp[96];
    int n = 0, exp10 = 0, neg = v < 0;
    if (v != v) { const char *s = "nan"; while (*s) emit(o, *s++); return; }
    if (neg) v = -v;
    if (prec < 0) prec = 6;
    if (conv == 'g' || conv == 'G') {
        double t = v;
        while (t >= 10) { t /= 10; exp10++; }
        while (t > 0 && t < 1) { t *= 10; exp10--; }
        conv = (exp10 < -4 || exp10 >= (prec ? prec : 1)) ? 'e' : 'f';
        prec = conv == 'f' ? (prec > exp10 + 1 ? prec - exp10 - 1 : 0) : (prec ? prec - 1 : 0);
        exp10 = 0;
    }
    if (conv == 'e' || conv == 'E') {
        while (v >= 10) { v /= 10; exp10++; }
        while (v > 0 && v < 1) { v *= 10; exp10--; }
    }
    double scaled = v * pow10i(prec) + 0.5;
    unsigned long long whole = (unsigned long long)(scaled / pow10i(prec));
    unsigned long long frac = (unsigned long long)scaled - whole * (unsigned long long)pow10i(prec);
    if (conv == 'e' || conv == 'E') {
        int e = exp10 < 0 ? -exp10 : exp10;
        do { tmp[n++] = (char)('0' + e % 10); e /= 10; } while (e || n < 2);
        tmp[n++] = exp10 < 0 ? '-' : '+';
        tmp[n++] = conv;
    }
    for (int i = 0; i < prec; i++) { tmp[n++] = (char)('0' + frac % 10); frac /= 10; }
    if (prec) tmp[n++] = '.';
    do { tmp[n++] = (char)('0' + whole % 10); whole /= 10; } while (whole);
    char s = neg ? '-' : sign;
    int total = n + (s ? 1 : 0);
    if (!left && padc == ' ') pad(o, width - total, ' ');
    if (s) emit(o, s);
    if (!left && padc == '0') pad(o, width - total, '0');
    while (n) emit(o, tmp[--n]);
    if (left) pad(o, width - total, ' ');
}

int vformat(char *buf, size_t cap, const char *fmt, va_list ap) {
    out_t o = { buf, 0, cap };
    for (; *fmt; fmt++) {
        if (*fmt != '%') { emit(&o, *fmt); continue; }
        int left = 0, width = 0, prec = -1, lng = 0;
        char padc = ' ', sign = 0;
        for (;; fmt++) {
            if (fmt[1] == '-') left = 1;
            else if (fmt[1] == '0') padc = '0';
            else if (fmt[1] == '+') sign = '+';
            else if (fmt[1] == ' ') sign = sign ? sign : ' ';
            else break;
        }
        fmt++;
        if (*fmt == '*') { width = va_arg(ap, int); fmt++; }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        if (*fmt == '.') {
            prec = 0; fmt++;
            if (*fmt == '*') { prec = va_arg(ap, int); fmt++; }
            while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'h' || *fmt == 'z') { if (*fmt == 'l') lng++; fmt++; }
        switch (*fmt) {
        case 'd': case 'i': {
            long long v = lng > 1 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            emit_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, 0,
                        v < 0, width, prec, left, padc, sign);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v = lng > 1 ? va_arg(ap, unsigned long long)
                                 : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            emit_number(&o, v, base, *fmt == 'X', 0, width, prec, left, padc, 0);
            break;
        }
        case 'p':
            emit(&o, '0'); emit(&o, 'x');
            emit_number(&o, (unsigned long long)(size_t)va_arg(ap, void *), 16, 0, 0, 8, 8,
                        0, '0', 0);
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
            emit_float(&o, va_arg(ap, double), *fmt, width, prec, left, padc, sign);
            break;
        case 'c': emit(&o, (char)va_arg(ap, int)); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            if (!s) s = "(null)";
            while (s[n] && (prec < 0 || n < prec)) n++;
            if (!left) pad(&o, width - n, ' ');
            for (int i = 0; i < n; i++) emit(&o, s[i]);
            if (left) pad(&o, width - n, ' ');
            break;
        }
        case '%': emit(&o, '%'); break;
        default: emit(&o, '%'); emit(&o, *fmt); break;
        }
    }
    if (cap) buf[o.len < cap ? o.len : cap - 1] = 0;
    return (int)o.len;
}

int format(char *buf, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
