// zlib from the system (Debian: zlib1g-dev), for the bounded zip and gzip readers in Archive.
#include <zlib.h>
