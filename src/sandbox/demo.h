/* demo.h: the built-in demo org (see demo.c and docs/sandbox.md). */
#ifndef SBX_DEMO_H
#define SBX_DEMO_H

/* The demo org in the seed format, as static JSON text. */
const char *sbx_demo_org(void);

#endif
