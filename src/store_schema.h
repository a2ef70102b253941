/*
 * store_schema.h - migrations, private to src/store*.c.
 */
#ifndef PM_STORE_SCHEMA_H
#define PM_STORE_SCHEMA_H

/*
 * Link every unlinked scanned listener to the lowest-numbered recorded
 * (trace, crawl) listener of the same script with the same handler code,
 * or, when the recording kept no code, on the same line.  Used by
 * store_link_listener_copies after every import.
 *
 * The recorded listeners are first reduced to one row per (script, code
 * hash) and per (script, line), with the lowest id; each such key then
 * finds its scanned listeners on an index.  Every listener row is read a
 * bounded number of times, so the link is linear: the v2 form below,
 * which joined recorded and scanned listeners on the script URL alone,
 * paired every handler of a script with every other one (10 000
 * recorded handlers of one script took 14 s).
 */
#define STORE_LINK_LISTENER_COPIES_SQL                                        \
    "UPDATE listeners AS x SET same_as = m.rid FROM ("                        \
    " SELECT sid, min(rid) AS rid FROM ("                                     \
    "  SELECT s.id AS sid, k.rid AS rid FROM ("                               \
    "   SELECT script_url, code_hash, min(id) AS rid FROM listeners"          \
    "   WHERE found_by <> 'scan' AND script_url IS NOT NULL"                  \
    "   GROUP BY script_url, code_hash) AS k"                                 \
    "  CROSS JOIN listeners s ON s.script_url = k.script_url"                 \
    "   AND s.code_hash = k.code_hash AND s.found_by = 'scan'"                \
    "   AND s.same_as IS NULL"                                                \
    "  UNION ALL"                                                             \
    "  SELECT s.id, k.rid FROM ("                                             \
    "   SELECT script_url, line, min(id) AS rid FROM listeners"               \
    "   WHERE found_by <> 'scan' AND script_url IS NOT NULL"                  \
    "   AND coalesce(code, '') = '' GROUP BY script_url, line) AS k"          \
    "  CROSS JOIN listeners s ON s.script_url = k.script_url"                 \
    "   AND s.line = k.line AND s.found_by = 'scan' AND s.same_as IS NULL)"   \
    " GROUP BY sid) AS m"                                                     \
    " WHERE x.id = m.sid"

/*
 * The same link as the v2 migration shipped it (a shipped migration is
 * never edited): the few recorded listeners drive the join.
 */
#define STORE_LINK_LISTENER_COPIES_V2_SQL                                     \
    "UPDATE listeners AS x SET same_as = m.rid FROM ("                        \
    " SELECT s.id AS sid, min(r.id) AS rid FROM listeners r"                  \
    " CROSS JOIN listeners s ON s.script_url = r.script_url"                  \
    "  AND s.found_by = 'scan' AND s.same_as IS NULL"                         \
    "  AND (s.code_hash = r.code_hash"                                        \
    "   OR (coalesce(r.code, '') = '' AND s.line = r.line))"                  \
    " WHERE r.found_by <> 'scan'"                                             \
    " GROUP BY s.id) AS m"                                                    \
    " WHERE x.id = m.sid"

/* Findings on a scanned copy move to the listener it is (the copy is no
 * longer listed); the analysis never suggests one finding for both. */
#define STORE_MOVE_COPY_FINDINGS_SQL                                          \
    "UPDATE findings AS f SET subject_id = l.same_as FROM listeners l"        \
    " WHERE f.subject_kind = 'listener' AND f.subject_id = l.id"              \
    " AND l.same_as IS NOT NULL"

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
