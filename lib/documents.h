/* documents.h (private): the trees of report.json and model.json, for
 * writers that send them to a file in pieces (rp_json_write), so that the
 * whole text is never held.  Both point at the numbers of their source
 * (rp_json_numbers), which must outlive them.  NULL when out of memory. */
#ifndef REGPATH_DOCUMENTS_H
#define REGPATH_DOCUMENTS_H

#include <cjson/cJSON.h>

#include "regpath/model.h"
#include "regpath/report.h"

/* What rp_report_json prints. */
cJSON *rp_report_tree(const rp_config *cfg, const rp_run_result *res, const char *image_format);

/* What rp_model_to_json prints. */
cJSON *rp_model_tree(const rp_model *m);

#endif
