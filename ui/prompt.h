/*
 * prompt.h - the line editor at the bottom of the screen (filter, search,
 * export path; with history and a caret under a filter syntax error) and
 * the small form that marks a finding (severity and note).  While either
 * is open it receives every key.
 */
#ifndef PM_UI_PROMPT_H
#define PM_UI_PROMPT_H

#include "app.h"

enum ui_prompt_kind {
    UI_PROMPT_FILTER,  /* message filter expression */
    UI_PROMPT_SEARCH,  /* plain text search in a list view */
    UI_PROMPT_EXPORT,  /* path of the Markdown report */
    UI_PROMPT_OVERWRITE, /* "FILE exists. Replace it?" after an export path */
    UI_PROMPT_DELETE,    /* "Delete finding ...? (y/n)" before u deletes */
};

int prompt_open(struct ui_app *app, int kind);
int prompt_active(const struct ui_app *app);
int prompt_key(struct ui_app *app, int key);
/* Draw the prompt over the two bottom rows. */
void prompt_draw(struct ui_app *app);
void prompt_free(struct ui_app *app);
/*
 * u: unmark the selection; when that deletes a hand-marked finding (its
 * severity and note), ask y/n on the bottom line first.
 */
int prompt_open_unmark(struct ui_app *app);

/* The mark form for the current view's selection. */
int form_open_mark(struct ui_app *app);
int form_key(struct ui_app *app, int key);
void form_draw(struct ui_app *app);
void form_free(struct ui_app *app);

#endif
