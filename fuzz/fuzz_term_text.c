/*
 * fuzz_term_text.c - libFuzzer harness for the terminal-text sanitizer
 * (src/term_text.c): no output may hold a C0/C1 control, DEL, bidi
 * control or invisible character (utf8.h's table), the columns used never exceed the limit, padding is exact, the
 * ASCII mode emits ASCII only, and the width agrees with the pieces.
 */
#include <locale.h>
#include <string.h>

#include "buf.h"
#include "fuzz_common.h"
#include "term_text.h"
#include "utf8.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        setlocale(LC_CTYPE, "");
    return 0;
}

static void
check_safe(const struct pm_buf *b, int ascii)
{
    const unsigned char *s = (const unsigned char *)b->data;
    size_t i = 0;
    while (i < b->len) {
        unsigned cp;
        size_t l = utf8_decode(s + i, b->len - i, &cp);
        FUZZ_ASSERT(l != 0, "terminal text is not UTF-8");
        FUZZ_ASSERT(!unicode_is_hidden(cp), "hidden character output");
        if (ascii)
            FUZZ_ASSERT(cp < 0x80, "non-ASCII output in ASCII mode");
        i += l;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int max_cols = data[0] % 90;
    int flags = data[0] >> 5; /* TT_ASCII, TT_ELLIPSIS, TT_PAD combinations */
    const char *s = (const char *)data + 1;
    size_t n = size - 1;

    struct pm_buf b;
    pm_buf_init(&b);
    int used = term_text_fit(&b, s, n, max_cols, flags);
    FUZZ_ASSERT(used >= 0 && used <= max_cols, "columns over the limit");
    if (flags & TT_PAD)
        FUZZ_ASSERT(used == max_cols, "padding not exact");
    check_safe(&b, flags & TT_ASCII);

    size_t width = 0;
    const char *p = s, *end = s + n;
    struct term_piece piece;
    while (term_text_next(&p, end, flags & TT_ASCII, &piece)) {
        FUZZ_ASSERT(p <= end, "piece past the end");
        FUZZ_ASSERT(piece.cols >= 0, "negative width");
        width += (size_t)piece.cols;
    }
    FUZZ_ASSERT(width == term_text_width(s, n, flags & TT_ASCII),
                "width disagrees with the pieces");
    if (width <= (size_t)max_cols && !(flags & TT_PAD))
        FUZZ_ASSERT((size_t)used == width, "text that fits was cut");

    pm_buf_release(&b);
    return 0;
}
