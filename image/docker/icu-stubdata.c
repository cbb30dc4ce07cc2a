/*
 * An empty ICU common-data package: what ICU's own "stubdata" library contains (icu4c/source/stubdata), for
 * PostgreSQL binaries that link ICU although DSQL Local never uses an ICU collation (DSQL has the C collation
 * only). It replaces the 26 MB libicudata in the image; PostgreSQL starts and runs as before, and only a query
 * naming an ICU collation fails, with PostgreSQL's own "could not open collator for locale" error.
 * stage.sh compiles it with -DICU_MAJOR=<the bundled ICU's major version>.
 */
#include <stdint.h>

#define ENTRY_POINT_NAME(major) icudt##major##_dat
#define ENTRY_POINT(major) ENTRY_POINT_NAME(major)

/* ICU's DataHeader + UDataInfo, then the table of contents of a common-data package with no items. */
struct common_data_header {
    uint16_t header_size;
    uint8_t magic1, magic2;
    uint16_t info_size, reserved_word;
    uint8_t is_big_endian, charset_family, sizeof_uchar, reserved_byte;
    uint8_t data_format[4], format_version[4], data_version[4];
    uint8_t padding[8];
    uint32_t item_count, reserved;
    uint32_t toc[2];
};

__attribute__((visibility("default"))) const struct common_data_header ENTRY_POINT(ICU_MAJOR) = {
    32, 0xda, 0x27,
    20, 0,
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    1,
#else
    0,
#endif
    0 /* ASCII family */, 2 /* sizeof(UChar) */, 0,
    {0x54, 0x6f, 0x43, 0x50} /* "ToCP" */, {1, 0, 0, 0}, {0, 0, 0, 0},
    {0}, 0, 0, {0, 0}
};
