/*
 * cmd_version.c: `gcprov version` prints the version of the tool and of
 * the libraries it talks through.
 */
#include <stdio.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "commands.h"
#include "exit.h"
#include "gcprov.h"

static int run_version(const struct cli_common *common, void *settings,
                       int argc, char **argv)
{
    curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);

    if (common->json) {
        printf("{\"gcprov\": \"%s\", \"libcurl\": \"%s\", "
               "\"jansson\": \"%s\", \"sqlite\": \"%s\"}\n",
               gcp_version(), curl->version, jansson_version_str(),
               sqlite3_libversion());
        return CLI_EXIT_OK;
    }
    printf("gcprov %s\nlibcurl %s, jansson %s, sqlite %s\n", gcp_version(),
           curl->version, jansson_version_str(), sqlite3_libversion());
    return CLI_EXIT_OK;
}

const struct cli_command cli_cmd_version = {
    .name = "version",
    .summary = "print the version of gcprov and its libraries",
    .json_output = 1,
    .run = run_version,
};
