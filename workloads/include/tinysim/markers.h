/* Operator markers: tell tinysim (or an SWO trace on silicon) where each operator of a network
 * begins and ends.
 *
 * Protocol (documented in docs/markers.md):
 *  - Begin of operator i: one 32-bit store of i to ITM stimulus port 1 (0xE0000004).
 *  - End of operator i:   one 32-bit store of i to ITM stimulus port 2 (0xE0000008).
 *  - Operator names, kinds and MAC counts are not sent at run time: each operator has a
 *    `struct tinysim_op_info` in the ELF section `.tinysim_ops`, which the linker keeps out of
 *    flash (tinysim's linker script marks it INFO; any other script may load it harmlessly).
 * On silicon with ITM off the stores are ignored; with ITM on they go out over SWO.
 * Define TINYSIM_MARKERS=0 to compile every macro here to nothing. */
#ifndef TINYSIM_MARKERS_H
#define TINYSIM_MARKERS_H

#include <stdint.h>

#ifndef TINYSIM_MARKERS
#define TINYSIM_MARKERS 1
#endif

#define TINYSIM_MARKER_PORT_BEGIN 1u
#define TINYSIM_MARKER_PORT_END 2u
#define TINYSIM_ITM_PORT_ADDRESS(port) (0xE0000000u + 4u * (port))
#define TINYSIM_OP_INFO_VERSION 1u

/* One entry of the operator table: 80 bytes, little-endian, no pointers (never relocated). */
struct tinysim_op_info {
  uint16_t version; /* TINYSIM_OP_INFO_VERSION */
  uint16_t index;   /* the value the markers store */
  uint32_t reserved;
  uint64_t macs; /* multiply-accumulates of one execution; 0 when unknown */
  char kind[24]; /* operator kind, e.g. "CONV_2D" (TFLite builtin names for imported models) */
  char name[40]; /* operator name as the user should see it, NUL-terminated */
};

#if TINYSIM_MARKERS

#define TINYSIM_OP_BEGIN(index) \
  (*(volatile uint32_t*)TINYSIM_ITM_PORT_ADDRESS(TINYSIM_MARKER_PORT_BEGIN) = (uint32_t)(index))
#define TINYSIM_OP_END(index) \
  (*(volatile uint32_t*)TINYSIM_ITM_PORT_ADDRESS(TINYSIM_MARKER_PORT_END) = (uint32_t)(index))

/* Declares the table entry of operator `index` at file scope. */
#define TINYSIM_OP_INFO(ident, index, kind, name, macs)                     \
  __attribute__((section(".tinysim_ops"), used,                             \
                 aligned(8))) static const struct tinysim_op_info ident = { \
      TINYSIM_OP_INFO_VERSION, (index), 0u, (macs), kind, name}

#else

#define TINYSIM_OP_BEGIN(index) ((void)(index))
#define TINYSIM_OP_END(index) ((void)(index))
#define TINYSIM_OP_INFO(ident, index, kind, name, macs) struct tinysim_op_info_unused_##ident

#endif

#endif
