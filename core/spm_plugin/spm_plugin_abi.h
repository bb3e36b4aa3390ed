#ifndef BERTWB_SPM_PLUGIN_ABI_H
#define BERTWB_SPM_PLUGIN_ABI_H
/* The C interface of libbertwb_spm.so, the SentencePiece plugin.
 *
 * Why a plugin with a C ABI: Debian's libsentencepiece embeds protobuf 3.14 and exports its
 * symbols, LibTorch loads protobuf 3.21, and the two cannot share one link namespace (see
 * DESIGN.md). The core loads this library with dlmopen(LM_ID_NEWLM) into a namespace of its
 * own, so nothing but plain C types may cross: an opaque handle, char and int32_t arrays the
 * caller owns, and return codes. No function throws; every one that can fail returns a
 * status and leaves a message for bertwb_spm_last_error().
 *
 * Buffers: functions that fill a caller buffer take its capacity and report the size they
 * need through an out parameter. When the buffer is too small they return
 * BERTWB_SPM_BUFFER_TOO_SMALL and write nothing else; call again with the size reported.
 *
 * Threads: a loaded model may be used from several threads at once (SentencePiece's
 * encoder and decoder are const). The error text is kept per thread.
 */
#include <stddef.h>
#include <stdint.h>

/* The plugin is built with hidden visibility: only these functions are exported. */
#if defined(__GNUC__)
#define BERTWB_SPM_EXPORT __attribute__((visibility("default")))
#else
#define BERTWB_SPM_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature below changes; the loader refuses a plugin of another version. */
#define BERTWB_SPM_ABI_VERSION 1

enum BertwbSpmStatus {
  BERTWB_SPM_OK = 0,
  BERTWB_SPM_ERROR = 1,            /* see bertwb_spm_last_error() */
  BERTWB_SPM_BUFFER_TOO_SMALL = 2, /* call again with the size reported */
  BERTWB_SPM_INVALID_ARGUMENT = 3, /* null pointer, negative count, id out of range */
};

typedef struct BertwbSpmModel BertwbSpmModel; /* opaque */

/* BERTWB_SPM_ABI_VERSION of the plugin as built. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_abi_version(void);

/* The last failure's message on the calling thread ("" when none). Valid until the next
 * call into the plugin from this thread. */
BERTWB_SPM_EXPORT const char* bertwb_spm_last_error(void);

/* Loads a SentencePiece model (a serialized ModelProto, "spiece.model") from a file or from
 * bytes. On success *model receives a handle to free with bertwb_spm_free. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_load_file(const char* path, BertwbSpmModel** model);
BERTWB_SPM_EXPORT int32_t bertwb_spm_load_bytes(const char* data, size_t size,
                                                BertwbSpmModel** model);
BERTWB_SPM_EXPORT void bertwb_spm_free(BertwbSpmModel* model);

/* Number of pieces; ids run 0 .. size-1. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_vocab_size(const BertwbSpmModel* model);

/* The piece of `id` as UTF-8 (not NUL-terminated); *length receives its byte length. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_id_to_piece(const BertwbSpmModel* model, int32_t id,
                                                 char* buffer, int32_t capacity, int32_t* length);

/* The id of the piece given as `length` bytes of UTF-8, or -1 when the vocabulary has no
 * such piece (SentencePiece itself would answer with the unknown id). */
BERTWB_SPM_EXPORT int32_t bertwb_spm_piece_to_id(const BertwbSpmModel* model, const char* piece,
                                                 int32_t length);

/* Encodes `length` bytes of UTF-8 text. For every piece i < *count: ids[i], and the byte span
 * [begins[i], ends[i]) of the input it came from (SentencePiece's own alignment through its
 * normalizer: a piece "▁word" spans the space before "word"; the first piece's "▁" spans
 * nothing). The three arrays have `capacity` elements each. Text over INT32_MAX bytes is
 * refused. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_encode(const BertwbSpmModel* model, const char* text,
                                            size_t length, int32_t* ids, int32_t* begins,
                                            int32_t* ends, int32_t capacity, int32_t* count);

/* Decodes `count` ids to UTF-8 text (not NUL-terminated); *length receives its byte length.
 * Control pieces decode to nothing, as in SentencePiece. */
BERTWB_SPM_EXPORT int32_t bertwb_spm_decode(const BertwbSpmModel* model, const int32_t* ids,
                                            int32_t count, char* buffer, size_t capacity,
                                            size_t* length);

#ifdef __cplusplus
}
#endif

#endif /* BERTWB_SPM_PLUGIN_ABI_H */
