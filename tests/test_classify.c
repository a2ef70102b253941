/*
 * test_classify.c - the labelled handler corpus (the .js files in
 * tests/data/handlers).
 *
 * Each case starts with a label line
 *   // @case NAME check=CLASS sinks=A,B [reply=TARGET] [mode=code] [reads=no]
 *            [how=FORM]
 * followed by its code up to the next label.  A script case must yield
 * exactly one listener through analyze_script; a mode=code case is a
 * handler source as a trace records it (analyze_handler_code).  reads=no
 * says the handler never reads its event (no finding is suggested for it);
 * how= names the registration form the analysis must report.  The test
 * prints precision and recall per class and for sinks, and fails on any
 * disagreement with a label.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze.h"
#include "buf.h"
#include "mem.h"

#define CORPUS_DIR "tests/data/handlers"

struct label {
    char name[96];
    int check;
    unsigned sinks;
    char reply[128];
    int has_reply;
    int code_mode;
    int ignores_event;   /* reads=no: the handler never reads its event */
    char how[32];        /* how=FORM: the registration form, "" = any */
};

struct collect {
    int n;
    struct pm_handler_facts first;
    char how[32];
};

struct tally {
    int tp[PM_CHECK__COUNT], fp[PM_CHECK__COUNT], fn[PM_CHECK__COUNT];
    int sink_tp, sink_fp, sink_fn;
    int cases, wrong;
};

static void
on_listener(const struct pm_found_listener *l, void *ctx)
{
    struct collect *c = ctx;
    if (c->n++ == 0) {
        c->first = l->facts;
        snprintf(c->how, sizeof c->how, "%s", l->how);
    }
}

/* Parse "// @case NAME key=value ..."; returns 0 when the line is no label. */
static int
parse_label(const char *line, struct label *lb, const char *file, int lineno)
{
    if (strncmp(line, "// @case ", 9) != 0)
        return 0;
    memset(lb, 0, sizeof *lb);
    lb->check = -1;
    char copy[512];
    size_t cl = strlen(line + 9);
    if (cl >= sizeof copy)
        cl = sizeof copy - 1;
    memcpy(copy, line + 9, cl);
    copy[cl] = '\0';
    copy[strcspn(copy, "\n")] = '\0';
    char *save = NULL;
    char *tok = strtok_r(copy, " ", &save);
    snprintf(lb->name, sizeof lb->name, "%s", tok ? tok : "?");
    int have_sinks = 0;
    while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
        if (strncmp(tok, "check=", 6) == 0) {
            lb->check = check_kind_parse(tok + 6);
        } else if (strncmp(tok, "sinks=", 6) == 0) {
            have_sinks = 1;
            lb->sinks = sinks_parse(tok + 6);
            /* every listed name must be a known sink */
            char names[256];
            snprintf(names, sizeof names, "%s", tok + 6);
            char *s2 = NULL;
            for (char *n = strtok_r(names, ",", &s2); n; n = strtok_r(NULL, ",", &s2))
                if (sinks_parse(n) == 0)
                    fail_msg("%s:%d: unknown sink '%s'", file, lineno, n);
        } else if (strncmp(tok, "reply=", 6) == 0) {
            lb->has_reply = 1;
            snprintf(lb->reply, sizeof lb->reply, "%s", tok + 6);
        } else if (strcmp(tok, "reads=no") == 0) {
            lb->ignores_event = 1;
        } else if (strncmp(tok, "how=", 4) == 0) {
            snprintf(lb->how, sizeof lb->how, "%s", tok + 4);
        } else if (strcmp(tok, "mode=code") == 0) {
            lb->code_mode = 1;
        } else {
            fail_msg("%s:%d: unknown label field '%s'", file, lineno, tok);
        }
    }
    if (lb->check < 0 || !have_sinks)
        fail_msg("%s:%d: label needs check= and sinks=", file, lineno);
    return 1;
}

static void
judge_case(const struct label *lb, const struct pm_buf *code, struct tally *ty)
{
    struct pm_handler_facts got;
    int nlisteners = 1;
    char how[32] = "";
    if (lb->code_mode) {
        analyze_handler_code(code->data, code->len, &got);
    } else {
        struct collect c = {0};
        analyze_script(code->data, code->len, 1, 1, on_listener, NULL, &c);
        nlisteners = c.n;
        got = c.first;
        snprintf(how, sizeof how, "%s", c.how);
        if (c.n == 0)
            got.check = PM_CHECK__COUNT;
    }
    ty->cases++;
    int pred = (int)got.check;
    if (pred == lb->check) {
        ty->tp[pred]++;
    } else {
        if (pred < PM_CHECK__COUNT)
            ty->fp[pred]++;
        ty->fn[lb->check]++;
    }
    for (int i = 0; i < PM_SINK_COUNT; i++) {
        unsigned bit = 1u << i;
        if ((got.sinks & bit) && (lb->sinks & bit))
            ty->sink_tp++;
        else if (got.sinks & bit)
            ty->sink_fp++;
        else if (lb->sinks & bit)
            ty->sink_fn++;
    }
    int reply_ok = lb->has_reply
                       ? got.replies && strcmp(got.reply_target, lb->reply) == 0
                       : !got.replies;
    int how_ok = lb->how[0] == '\0' || strcmp(how, lb->how) == 0;
    if (pred != lb->check || got.sinks != lb->sinks || !reply_ok ||
        nlisteners != 1 || got.ignores_event != lb->ignores_event || !how_ok) {
        char gs[256], ws[256];
        sinks_format(got.sinks, gs, sizeof gs);
        sinks_format(lb->sinks, ws, sizeof ws);
        printf("MISMATCH %s: listeners=%d check=%s (want %s) expr=[%s] "
               "sinks=%s (want %s) reply=%d:%s reads=%s how=%s\n",
               lb->name, nlisteners,
               pred < PM_CHECK__COUNT ? check_kind_name(got.check) : "-",
               check_kind_name((enum pm_check_kind)lb->check), got.check_expr,
               gs, ws, got.replies, got.reply_target,
               got.ignores_event ? "no" : "yes", how);
        ty->wrong++;
    }
}

static void
run_file(const char *path, struct tally *ty)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[4096];
    struct label lb;
    int have = 0, lineno = 0;
    struct pm_buf code;
    pm_buf_init(&code);
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        struct label next;
        if (parse_label(line, &next, path, lineno)) {
            if (have)
                judge_case(&lb, &code, ty);
            lb = next;
            have = 1;
            pm_buf_reset(&code);
            continue;
        }
        if (have)
            pm_buf_adds(&code, line);
    }
    if (have)
        judge_case(&lb, &code, ty);
    pm_buf_release(&code);
    fclose(fp);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_corpus(void **state)
{
    (void)state;
    DIR *d = opendir(CORPUS_DIR);
    assert_non_null(d);
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 3 && strcmp(de->d_name + l - 3, ".js") == 0)
            names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    struct tally ty;
    memset(&ty, 0, sizeof ty);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, names[i]);
        run_file(path, &ty);
        free(names[i]);
    }
    printf("%-18s %5s %5s %5s %9s %7s\n", "class", "cases", "tp", "fp",
           "precision", "recall");
    for (int k = 0; k < PM_CHECK__COUNT; k++) {
        int tp = ty.tp[k], fp = ty.fp[k], fn = ty.fn[k];
        double p = tp + fp ? 100.0 * tp / (tp + fp) : 100.0;
        double r = tp + fn ? 100.0 * tp / (tp + fn) : 100.0;
        printf("%-18s %5d %5d %5d %8.1f%% %6.1f%%\n",
               check_kind_name((enum pm_check_kind)k), tp + fn, tp, fp, p, r);
    }
    int st = ty.sink_tp, sf = ty.sink_fp, sn = ty.sink_fn;
    printf("%-18s %5d %5d %5d %8.1f%% %6.1f%%\n", "sinks", st + sn, st, sf,
           st + sf ? 100.0 * st / (st + sf) : 100.0,
           st + sn ? 100.0 * st / (st + sn) : 100.0);
    printf("%d cases, %d disagree with their label\n", ty.cases, ty.wrong);
    assert_true(ty.cases >= 80);
    assert_int_equal(ty.wrong, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
