/*
 * views.h - the one list of TUI views.  A row names the view (enum
 * ui_view gets UI_VIEW_<ID>), its struct pm_screen descriptor (defined in
 * the view's own file) and the kinds of keys it answers besides those
 * every view has.  Rows are in tab order: the main views, whose digit
 * keys are 1, 2, ..., then the overlays.  The enum, ui.c's table of
 * descriptors and the view masks of the key bindings are all generated
 * from these rows, so adding a view is its file plus one row here.
 */
#ifndef PM_UI_VIEWS_H
#define PM_UI_VIEWS_H

/* What a view answers, beyond moving, view digits, help and quitting. */
#define UI_VK_OVERLAY 1u /* opened over a main view: no tab; Esc, q go back */
#define UI_VK_SEARCH 2u  /* / searches its list, n and N repeat */
#define UI_VK_MARK 4u    /* its selection can be marked: m, u */
#define UI_VK_SCROLL 8u  /* a second pane scrolls both ways: J, K, Left, Right; p lays it out */
#define UI_VK_CANVAS 16u /* draws a picture: h, l, Left, Right pan; Tab selects; z, t, Esc */

/* X(arg, ID, descriptor, UI_VK_* bits) for every view. */
#define UI_VIEWS(X, arg)                                                    \
    X(arg, MESSAGES, pm_screen_messages, UI_VK_SEARCH | UI_VK_MARK)         \
    X(arg, GRAPH, pm_screen_graph,                                          \
      UI_VK_SEARCH | UI_VK_MARK | UI_VK_CANVAS)                             \
    X(arg, FRAMES, pm_screen_frames, UI_VK_SEARCH | UI_VK_MARK)             \
    X(arg, LISTENERS, pm_screen_listeners,                                  \
      UI_VK_SEARCH | UI_VK_MARK | UI_VK_SCROLL)                             \
    X(arg, FINDINGS, pm_screen_findings, UI_VK_SEARCH | UI_VK_MARK)         \
    X(arg, SOURCES, pm_screen_sources, UI_VK_SEARCH)                        \
    X(arg, SENDS, pm_screen_sends,                                          \
      UI_VK_SEARCH | UI_VK_MARK | UI_VK_SCROLL)                             \
    X(arg, FLOW, pm_screen_flow, UI_VK_OVERLAY | UI_VK_MARK)                \
    X(arg, HELP, pm_screen_help, UI_VK_OVERLAY | UI_VK_SEARCH)

#define UI_VIEW_ENUM_(arg, id, desc, keys) UI_VIEW_##id,
enum ui_view { UI_VIEWS(UI_VIEW_ENUM_, 0) UI_VIEW_COUNT };

#define UI_MASK(v) (1u << (v))
#define UI_ALL_VIEWS ((1u << UI_VIEW_COUNT) - 1)

/* The views whose row has every bit of flags (a constant expression). */
#define UI_VIEW_BIT_IF_(flags, id, desc, keys)                              \
    | (((keys) & (flags)) == (flags) ? UI_MASK(UI_VIEW_##id) : 0u)
#define UI_VIEWS_WITH(flags) (0u UI_VIEWS(UI_VIEW_BIT_IF_, flags))

#define UI_OVERLAYS UI_VIEWS_WITH(UI_VK_OVERLAY)
#define UI_MAIN_VIEWS (UI_ALL_VIEWS & ~UI_OVERLAYS)
/* Every view is a list the movement keys scroll. */
#define UI_LIST_VIEWS UI_ALL_VIEWS

#endif
