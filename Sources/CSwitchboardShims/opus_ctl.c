#include <opus/opus.h>
#include "CSwitchboardShims.h"

/* opus_encoder_ctl is weak so that binaries which link the shims but not libopus still link;
   only the Media module calls these, and it links libopus. */
#pragma weak opus_encoder_ctl

int sb_opus_encoder_set_int(struct OpusEncoder *encoder, int request, int value) {
    if (&opus_encoder_ctl == NULL) return OPUS_UNIMPLEMENTED;
    return opus_encoder_ctl(encoder, request, (opus_int32)value);
}

int sb_opus_encoder_get_int(struct OpusEncoder *encoder, int request, int *value) {
    if (&opus_encoder_ctl == NULL) return OPUS_UNIMPLEMENTED;
    opus_int32 result = 0;
    int status = opus_encoder_ctl(encoder, request, &result);
    *value = (int)result;
    return status;
}
