#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Fill the layout fields of haven.bin's header from the ELF's symbols.

The header (include/haven/firmware.h) is read by the driver before the image
is relocated, so its sizes and offsets must be plain numbers in the file.
Usage: fw-finalize.py haven.elf haven.bin
"""
import struct
import sys

# struct haven_fw_header: magic[8], abi u32, entry u32, image_size u64,
# core_size u64, console_offset u32, console_size u32, version[32], ...
LAYOUT = struct.Struct("<8sIIQQII")


def elf_symbols(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not an ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    symbols = {}
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 24):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab[4] + name
            symbols[data[start:data.index(b"\0", start)].decode()] = value
    return symbols


def main():
    elf, binary = sys.argv[1:3]
    sym = elf_symbols(elf)
    image = bytearray(open(binary, "rb").read())
    magic, abi, _, _, _, _, _ = LAYOUT.unpack_from(image, 0)
    if magic != b"HAVENFW\0":
        sys.exit(f"{binary}: header not at offset 0")
    base = sym["__image_start"]
    LAYOUT.pack_into(image, 0, magic, abi, sym["haven_entry"] - base,
                     len(image), sym["__core_end"] - base,
                     sym["__console_start"] - base,
                     sym["__console_end"] - sym["__console_start"])
    open(binary, "wb").write(image)


if __name__ == "__main__":
    main()
