// zlib (zlib1g-dev): raw deflate for .npz members and CRC-32 for zip entries.
#include <zlib.h>
