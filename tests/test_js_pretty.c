/*
 * test_js_pretty.c - the code pane's re-indenter: the layout of minified
 * handlers (statements a line, for(;;) heads kept, switch and case,
 * comma sequences, short objects on one line), literals and comments
 * byte for byte, every output line mapped back to its source byte, the
 * rule that tells minified code from readable code, and bounded output on
 * huge or garbage input (every truncation of a bundle, random bytes, deep
 * nesting, a flood of comments).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "js_pretty.h"
#include "jsscan.h"
#include "mem.h"

/* A handler as a bundler's minifier writes it: short names, !0, comma
 * sequences, a&&b(), nested functions, a regex holding { and ;, template
 * literals with ${}, a switch, a for(;;) head, an object of functions. */
static const char MINIFIED[] =
    "function(e){var t=e.data,n=\"https://shop.example\";"
    "if(!/^https:\\/\\/([a-z]+\\.)?shop\\.example$/.test(e.origin)&&e.origin!==n)return;"
    "for(var r=0,o=t.list||[];r<o.length;r++)o[r]&&s(o[r]);"
    "switch(t.type){case\"html\":document.getElementById(\"out\").innerHTML=t.html;break;"
    "case\"go\":case\"nav\":t.url&&(location.href=t.url),c=!0;break;"
    "default:l=`v${t.v}{;}${`n${t.n}`}`}"
    "var a={x:1,y:\"}\"},u={cb:function(e){return/[{;}]+/g.test(e)?!1:!0},z:[1,2]};"
    "/*! keep */return u.cb(t.s)&&e.source.postMessage({ok:!0},e.origin),!0}";

static char *
pretty_text(const char *src)
{
    struct js_lines l;
    js_lines_pretty(src, strlen(src), &l);
    char *text = xstrdup(l.text);
    js_lines_release(&l);
    return text;
}

/* s without whitespace: re-indenting changes nothing else. */
static char *
squeeze(const char *s, size_t n)
{
    char *o = xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\f\v", s[i]) || s[i] == '\0')
            o[k++] = s[i];
    o[k] = '\0';
    return o;
}

/*
 * What holds for any input: only whitespace changed, the output stays in
 * its budget, lines are well formed, and each line starts (after its
 * indentation) with the source byte it maps to.
 */
static void
check_invariants(const char *src, size_t n, const struct js_lines *l)
{
    assert_true(l->len <= JS_PRETTY_OUT_MAX(n));
    assert_int_equal(strlen(l->text) <= l->len, 1);
    assert_int_equal(l->start[l->n], l->len);
    size_t keep_src = 0, keep_out = 0;
    for (size_t i = 0; i < n; i++)
        keep_src += !strchr(" \t\r\n\f\v", src[i]) || src[i] == '\0';
    for (size_t i = 0; i < l->len; i++)
        keep_out += !strchr(" \t\r\n\f\v", l->text[i]) || l->text[i] == '\0';
    assert_int_equal(keep_src, keep_out);
    char *a = squeeze(src, n), *b = squeeze(l->text, l->len);
    assert_memory_equal(a, b, keep_src);
    free(a);
    free(b);
    for (size_t i = 0; i < l->n; i++) {
        assert_true(l->start[i] < l->start[i + 1]);
        assert_int_equal(l->text[l->start[i + 1] - 1], '\n');
        assert_true(l->src[i] < n);
        if (i > 0)
            assert_true(l->src[i] >= l->src[i - 1]);
        const char *line = l->text + l->start[i];
        size_t len = js_lines_len(l, i), k = 0;
        if (len == 0 && src[l->src[i]] == '\n')
            continue; /* an empty line inside a literal or comment */
        while (k < len && line[k] == ' ' && src[l->src[i]] != ' ')
            k++;
        if (k >= len || line[k] != src[l->src[i]])
            fail_msg("line %zu (%.*s) does not start with source byte %zu (%.10s)",
                     i, (int)len, line, l->src[i], src + l->src[i]);
    }
}

static void
test_minified_handler_layout(void **state)
{
    (void)state;
    char *text = pretty_text(MINIFIED);
    const char *want =
        "function(e) {\n"
        "  var t = e.data,\n"
        "    n = \"https://shop.example\";\n"
        "  if (!/^https:\\/\\/([a-z]+\\.)?shop\\.example$/.test(e.origin) && e.origin !== n) return;\n"
        "  for (var r = 0, o = t.list || []; r < o.length; r++) o[r] && s(o[r]);\n"
        "  switch (t.type) {\n"
        "    case \"html\":\n"
        "      document.getElementById(\"out\").innerHTML = t.html;\n"
        "      break;\n"
        "    case \"go\":\n"
        "    case \"nav\":\n"
        "      t.url && (location.href = t.url),\n"
        "        c = !0;\n"
        "      break;\n"
        "    default:\n"
        "      l = `v${t.v}{;}${`n${t.n}`}`\n"
        "  }\n"
        "  var a = {x: 1, y: \"}\"},\n"
        "    u = {\n"
        "      cb: function(e) {\n"
        "        return /[{;}]+/g.test(e) ? !1 : !0\n"
        "      },\n"
        "      z: [1, 2]\n"
        "    };\n"
        "  /*! keep */ return u.cb(t.s) && e.source.postMessage({ok: !0}, e.origin),\n"
        "    !0\n"
        "}\n";
    assert_string_equal(text, want);
    free(text);
}

static void
test_statements_and_blocks(void **state)
{
    (void)state;
    struct {
        const char *src, *want;
    } cases[] = {
        /* an IIFE stays called on the line of its closing brace */
        {"!function(){a()}();b()", "!function() {\n  a()\n}();\nb()\n"},
        {"if(a){b()}else if(c){d()}else e()",
         "if (a) {\n  b()\n} else if (c) {\n  d()\n} else e()\n"},
        {"try{a()}catch(e){}finally{b()}",
         "try {\n  a()\n} catch (e) {} finally {\n  b()\n}\n"},
        {"do{n--}while(n>0);x=1", "do {\n  n--\n} while (n > 0);\nx = 1\n"},
        {"x=a-- -1+ +b- -c,y=!!d", "x = a-- - 1 + +b - -c,\n  y = !!d\n"},
        {"const f=async(e)=>{await e},g=e=>({a:e})",
         "const f = async(e) => {\n  await e\n},\n  g = e => ({a: e})\n"},
        {"class A extends B{constructor(){super()}get x(){return 1}}",
         "class A extends B {\n  constructor() {\n    super()\n  }\n"
         "  get x() {\n    return 1\n  }\n}\n"},
        {"a:for(;;){if(x)continue a;break}",
         "a: for (;;) {\n  if (x) continue a;\n  break\n}\n"},
        {"f(function(){a();b()},1)", "f(function() {\n  a();\n  b()\n}, 1)\n"},
        {"a=html`<b>${x}</b>`;b=c?.d?.[0]", "a = html`<b>${x}</b>`;\nb = c?.d?.[0]\n"},
        /* a line break ends a statement that has no ';' */
        {"a=1\nb=2\nif(c)\nd()", "a = 1\nb = 2\nif (c) d()\n"},
        {"function f(){return\na+b}", "function f() {\n  return\n  a + b\n}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = pretty_text(cases[i].src);
        if (strcmp(text, cases[i].want) != 0)
            fail_msg("case %zu: %s\ngot:\n%swant:\n%s", i, cases[i].src, text,
                     cases[i].want);
        free(text);
    }
}

/* A bundler's chunk: the handler nested in a module function in an
 * object in a call; the check's line found from its offset. */
static void
test_bundle_chunk(void **state)
{
    (void)state;
    const char *src =
        "(window.webpackJsonp=window.webpackJsonp||[]).push([[7],{4711:function(e,t,n){"
        "\"use strict\";n.r(t);var r=n(12),o=n.n(r),i={allowed:[\"https://a.example\","
        "\"https://b.example\"],debug:!1};function a(e){return i.allowed.indexOf(e)>-1}"
        "window.addEventListener(\"message\",function(e){if(a(e.origin)){var t=\"string\""
        "==typeof e.data?JSON.parse(e.data):e.data;t&&\"html\"===t.type&&(o()(\"#slot\")"
        ".html(t.body),e.source.postMessage({ok:!0,id:t.id},e.origin))}},!1)}}]);";
    const char *want =
        "(window.webpackJsonp = window.webpackJsonp || []).push([[7], {\n"
        "  4711: function(e, t, n) {\n"
        "    \"use strict\";\n"
        "    n.r(t);\n"
        "    var r = n(12),\n"
        "      o = n.n(r),\n"
        "      i = {allowed: [\"https://a.example\", \"https://b.example\"], debug: !1};\n"
        "    function a(e) {\n"
        "      return i.allowed.indexOf(e) > -1\n"
        "    }\n"
        "    window.addEventListener(\"message\", function(e) {\n"
        "      if (a(e.origin)) {\n"
        "        var t = \"string\" == typeof e.data ? JSON.parse(e.data) : e.data;\n"
        "        t && \"html\" === t.type && (o()(\"#slot\").html(t.body), "
        "e.source.postMessage({ok: !0, id: t.id}, e.origin))\n"
        "      }\n"
        "    }, !1)\n"
        "  }\n"
        "}]);\n";
    struct js_lines l;
    js_lines_pretty(src, strlen(src), &l);
    check_invariants(src, strlen(src), &l);
    assert_string_equal(l.text, want);
    size_t check = (size_t)(strstr(src, "a(e.origin)") - src);
    assert_int_equal(js_lines_find(&l, check), 11);
    js_lines_release(&l);
}

/* Every literal and comment of the source is in the output as one run. */
static void
test_literals_and_comments_byte_exact(void **state)
{
    (void)state;
    const char *src =
        "x=\"a  b\\\"  ;{\"+'c\\'  }'+`t  ${ {a:1}.a }  u\n  v`;"
        "y=/ [;{] \\/ /gi.exec(s);// line comment  {;\n"
        "z=1/*  block ; */+2;/* multi\n   line */w=3";
    struct js_lines l;
    js_lines_pretty(src, strlen(src), &l);
    check_invariants(src, strlen(src), &l);
    const char *pieces[] = {
        "\"a  b\\\"  ;{\"", "'c\\'  }'", "`t  ${", "}  u\n  v`",
        "/ [;{] \\/ /gi", "// line comment  {;", "/*  block ; */",
        "/* multi\n   line */",
    };
    const char *at = l.text;
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        const char *hit = strstr(at, pieces[i]);
        if (hit == NULL)
            fail_msg("piece %zu (%s) not in order in:\n%s", i, pieces[i], l.text);
        at = hit + strlen(pieces[i]);
    }
    /* the line comment ends its line; the block comment after it stays */
    assert_non_null(strstr(l.text, "exec(s); // line comment  {;\n"));
    assert_non_null(strstr(l.text, "z = 1 /*  block ; */ + 2;\n"));
    js_lines_release(&l);
}

/* The line of a source offset: the check and the sink of MINIFIED. */
static void
test_offsets_map_back(void **state)
{
    (void)state;
    size_t n = strlen(MINIFIED);
    struct js_lines l;
    js_lines_pretty(MINIFIED, n, &l);
    check_invariants(MINIFIED, n, &l);
    const char *check = strstr(MINIFIED, "e.origin)&&");
    const char *sink = strstr(MINIFIED, "innerHTML");
    const char *reply = strstr(MINIFIED, "postMessage");
    size_t lc = js_lines_find(&l, (size_t)(check - MINIFIED));
    size_t ls = js_lines_find(&l, (size_t)(sink - MINIFIED));
    size_t lr = js_lines_find(&l, (size_t)(reply - MINIFIED));
    assert_int_equal(lc, 3);
    assert_int_equal(ls, 7);
    assert_int_equal(lr, 24);
    assert_memory_equal(l.text + l.start[lc], "  if (!/^https:", 15);
    assert_memory_equal(l.text + l.start[ls], "      document.getElementById", 29);
    /* every offset inside a line maps to that line */
    for (size_t i = 0; i + 1 < l.n; i++)
        for (size_t off = l.src[i]; off < l.src[i + 1]; off++)
            assert_int_equal(js_lines_find(&l, off), i);
    assert_int_equal(js_lines_find(&l, n - 1), l.n - 1);
    js_lines_release(&l);
    /* as written: one line per source line */
    const char *two = "a();\n  b();\n";
    js_lines_raw(two, strlen(two), &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.src[1], 5);
    assert_int_equal(js_lines_len(&l, 1), 6);
    assert_int_equal(js_lines_find(&l, 7), 1);
    assert_int_equal(js_lines_find(&l, 2), 0);
    assert_int_equal(l.pretty, 0);
    js_lines_release(&l);
    js_lines_raw("", 0, &l);
    assert_int_equal(l.n, 0);
    assert_int_equal(js_lines_find(&l, 3), 0);
    js_lines_release(&l);
}

static void
test_minified_rule(void **state)
{
    (void)state;
    assert_true(js_pretty_is_minified(MINIFIED, strlen(MINIFIED)));
    const char *readable = "function (e) {\n  if (e.origin !== o) return;\n"
                           "  out.textContent = e.data;\n}\n";
    assert_false(js_pretty_is_minified(readable, strlen(readable)));
    assert_false(js_pretty_is_minified("", 0));
    /* one long string among many short lines stays as written */
    char *mixed = xmalloc(8192);
    size_t o = 0;
    for (int i = 0; i < 40; i++)
        o += (size_t)sprintf(mixed + o, "  var v%d = f(%d);\n", i, i);
    o += (size_t)sprintf(mixed + o, "  var s = \"");
    for (int i = 0; i < 300; i++)
        mixed[o++] = 'x';
    o += (size_t)sprintf(mixed + o, "\";\n");
    assert_false(js_pretty_is_minified(mixed, o));
    free(mixed);
}

/* Hostile input: always bounded, always the same bytes, never slow. */
static void
test_bounded_on_garbage(void **state)
{
    (void)state;
    /* every truncation of a minified handler */
    size_t n = strlen(MINIFIED);
    for (size_t cut = 0; cut <= n; cut++) {
        struct js_lines l;
        js_lines_pretty(MINIFIED, cut, &l);
        check_invariants(MINIFIED, cut, &l);
        js_lines_release(&l);
    }
    /* random bytes, punctuation-heavy, several seeds and lengths */
    static const char alphabet[] = "{}()[];,:?!/*`'\"$\\\n=+-<>.abc01 #";
    unsigned seed = 12345;
    char *buf = xmalloc(1 << 16);
    for (int round = 0; round < 60; round++) {
        size_t len = (size_t)(round * 997 % 65000);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = round % 3 == 0 ? (char)(seed >> 16)
                                    : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        struct js_lines l;
        js_lines_pretty(buf, len, &l);
        check_invariants(buf, len, &l);
        js_lines_release(&l);
    }
    free(buf);
    /* deep nesting, a flood of comments, empty statements: linear time */
    size_t big = 4u << 20;
    char *deep = xmalloc(big + 1);
    const char *shapes[] = {"{", "{(;", "{//\n", "{/**/;", "a=`${", "[{a:"};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t k = strlen(shapes[s]);
        for (size_t i = 0; i < big; i++)
            deep[i] = shapes[s][i % k];
        clock_t t0 = clock();
        struct js_lines l;
        js_lines_pretty(deep, big, &l);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        assert_true(l.len <= JS_PRETTY_OUT_MAX(big));
        assert_true(l.n > 0);
        if (secs > 20)
            fail_msg("shape %s: %.1f s for 4 MiB", shapes[s], secs);
        js_lines_release(&l);
    }
    free(deep);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minified_handler_layout),
        cmocka_unit_test(test_statements_and_blocks),
        cmocka_unit_test(test_bundle_chunk),
        cmocka_unit_test(test_literals_and_comments_byte_exact),
        cmocka_unit_test(test_offsets_map_back),
        cmocka_unit_test(test_minified_rule),
        cmocka_unit_test(test_bounded_on_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
