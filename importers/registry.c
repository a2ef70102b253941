/*
 * registry.c - the list of input formats, in probe order.
 */
#include "importer.h"

#include <string.h>

extern const struct pm_importer pm_importer_har;
extern const struct pm_importer pm_importer_openwpm;

extern const struct pm_importer pm_importer_trace;

const struct pm_importer *const pm_importers[] = {
    &pm_importer_openwpm,
    &pm_importer_trace,
    &pm_importer_har,
    NULL,
};

const struct pm_importer *
importer_find(const char *name)
{
    for (int i = 0; pm_importers[i]; i++)
        if (strcmp(pm_importers[i]->name, name) == 0)
            return pm_importers[i];
    return NULL;
}
