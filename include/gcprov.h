/*
 * gcprov.h: the whole public API of libgcprov. Include this one header;
 * the module headers under gcprov/ each compile on their own as well.
 */
#ifndef GCPROV_H
#define GCPROV_H

#include "gcprov/common.h"
#include "gcprov/apply.h"
#include "gcprov/client.h"
#include "gcprov/journal.h"
#include "gcprov/plan.h"
#include "gcprov/progress.h"
#include "gcprov/roster.h"
#include "gcprov/users.h"

#endif
