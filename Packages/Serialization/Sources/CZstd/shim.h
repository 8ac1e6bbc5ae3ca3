// Zstandard (libzstd-dev), used for the per-tensor frames of the native checkpoint format.
#include <zstd.h>
