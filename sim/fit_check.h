// Does a firmware fit a board? The check before loading that names what does not fit.
//
// A firmware's sections (sim::AllocatedSection: .text, .rodata, .data, .bss, .heap, .stack, ...)
// must each lie inside one memory region of the board at their run address. tinysim's firmware
// is linked with generous memory lengths (workloads/runtime/cortex-m.ld), so a build that needs
// more SRAM than a small board has links fine and only this check refuses it: with the section
// that runs past the end of its region, the RAM (or flash) the firmware needs in total, what the
// region holds, and the board. A section that starts past a region's end (a stack after a .bss
// that just fit) counts against the nearest region below it of its sort (RAM for writable
// sections, flash for the others); sections below every region are left to the segment checks
// of the machine ("lies outside the memory map").
#pragma once

#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/status.h"

namespace tinysim::sim {

// OK, or kFirmwareTooLarge naming the first section that overflows its region, e.g.
//   "kws.elf does not fit board 'nucleo-l053r8': section '.bss' (0x20000010..0x20003f8f, 16,256
//    bytes) runs 7,824 bytes past the end of SRAM region 'sram' (0x20000000..0x20001fff, 8,192
//    bytes); its RAM sections need 20,368 bytes (.data 16, .bss 16,256, .stack 4,096)"
Status check_fits(const Image& image, const Board& board);

}  // namespace tinysim::sim
