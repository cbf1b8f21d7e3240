//! Zeroes the constant data a contract no longer reads, so that `wasm-opt`'s memory packing
//! drops it.
//!
//! Every call to a Stylus program pays for its data segments, cached or not: the cached entry
//! charge grows by 0.75 gas per data byte ([`crate`] docs, STYLUS-HOST §3). After
//! [`crate::snip`] and `wasm-opt`, most of a contract's data is what only the panic paths
//! used: messages, source file names, panic locations, formatting tables and vtables. No code
//! refers to it any more, but `wasm-opt` cannot know it: linear memory is addressable by any
//! integer.
//!
//! The linker knows where each data object is. Built with `--emit-relocs`, the module keeps
//! its `linking` section, whose symbol table gives every data object's segment, offset and
//! size. [`prune_data`] takes those objects from the linked module and decides which of them
//! the optimised module can still reach:
//! - an object is reached from code when an `i32.const` (or either half of an `i64.const`), a
//!   load's or a store's static offset, or a constant plus the offset of the access right after
//!   it, points into it; or when such a constant points into no object and at most [`SLACK`]
//!   bytes before the object's start (LLVM may fold `&array[i - k]` into a constant before the
//!   array);
//! - a global's initial value counts as such a constant, except the stack pointer's (the first
//!   global, mutable: the top of the stack, where the data starts);
//! - an object reached also reaches every object that a 4-byte aligned word inside it points
//!   into (pointers in static data: `&str` in panic locations, tables of strings).
//!
//! Every other object's bytes become zero, except bytes that also belong to a reached object
//! (merged strings); bytes outside any object are kept.
//!
//! The rules are a heuristic, not a proof. An object that the code reaches only through an
//! address it computes, with no constant pointing into the object or (from outside every
//! object) up to [`SLACK`] bytes before it, would be zeroed: a folded `&table[i - k]` whose
//! constant lands inside the previous object, for example. A wrong verdict changes a constant
//! the contract reads; the node's tests, the e2e tests and the invariant suite run the pruned
//! wasm and are the check.

use std::{collections::BTreeSet, ops::Range};

use wasm_encoder::{ConstExpr, DataSection, Module, RawSection};
use wasmparser::{DataKind, KnownCustom, Linking, Operator, Parser, Payload, SymbolInfo};

/// How far before an object a constant may point and still count as reaching it.
pub const SLACK: u32 = 64;

/// What [`prune_data`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// The module with the unreached objects zeroed.
    pub wasm: Vec<u8>,
    /// Data objects in the linked module.
    pub objects: usize,
    /// Objects zeroed.
    pub zeroed: usize,
    /// Bytes zeroed.
    pub bytes: usize,
}

/// Active data segments: base address and bytes.
fn segments(wasm: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::DataSection(reader) = payload.map_err(|e| e.to_string())? {
            for data in reader {
                let data = data.map_err(|e| e.to_string())?;
                let DataKind::Active { offset_expr, .. } = data.kind else {
                    return Err("passive data segment: not supported".into());
                };
                let mut ops = offset_expr.get_operators_reader();
                let Operator::I32Const { value } = ops.read().map_err(|e| e.to_string())? else {
                    return Err("data segment offset is not an i32.const".into());
                };
                out.push((value.cast_unsigned(), data.data.to_vec()));
            }
        }
    }
    Ok(out)
}

/// Every data object of the linked module (from its `linking` symbol table): address range.
///
/// # Errors
/// When the module has no symbol table (not linked with `--emit-relocs`).
pub fn objects(linked: &[u8]) -> Result<Vec<Range<u32>>, String> {
    let bases: Vec<u32> = segments(linked)?.iter().map(|(base, _)| *base).collect();
    let mut objects = BTreeSet::new();
    let mut found = false;
    for payload in Parser::new(0).parse_all(linked) {
        let Payload::CustomSection(section) = payload.map_err(|e| e.to_string())? else {
            continue;
        };
        let KnownCustom::Linking(reader) = section.as_known() else {
            continue;
        };
        for subsection in reader.subsections() {
            let Linking::SymbolTable(symbols) = subsection.map_err(|e| e.to_string())? else {
                continue;
            };
            found = true;
            for symbol in symbols {
                if let SymbolInfo::Data {
                    symbol: Some(defined),
                    ..
                } = symbol.map_err(|e| e.to_string())?
                {
                    let base = bases
                        .get(defined.index as usize)
                        .ok_or("symbol in an unknown data segment")?;
                    let start = base + defined.offset;
                    if defined.size > 0 {
                        objects.insert((start, start + defined.size));
                    }
                }
            }
        }
    }
    if !found {
        return Err("no linking symbol table (link with --emit-relocs)".into());
    }
    Ok(objects.into_iter().map(|(start, end)| start..end).collect())
}

/// The constants of the optimised module that may be data addresses.
fn constants(wasm: &[u8]) -> Result<BTreeSet<u32>, String> {
    let mut out = BTreeSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::CodeSectionEntry(body) => {
                let mut previous = None;
                for op in body.get_operators_reader().map_err(|e| e.to_string())? {
                    let op = op.map_err(|e| e.to_string())?;
                    if let Some(offset) = memarg_offset(&op) {
                        out.insert(offset);
                        if let Some(base) = previous {
                            out.insert(offset.wrapping_add(base));
                        }
                    }
                    previous = None;
                    match op {
                        Operator::I32Const { value } => {
                            out.insert(value.cast_unsigned());
                            previous = Some(value.cast_unsigned());
                        }
                        Operator::I64Const { value } => {
                            let value = value.cast_unsigned();
                            // Two i32 halves stored at once (a `&str`'s pointer and length).
                            out.insert((value & 0xffff_ffff) as u32);
                            out.insert((value >> 32) as u32);
                        }
                        _ => {}
                    }
                }
            }
            Payload::GlobalSection(reader) => {
                for (index, global) in reader.into_iter().enumerate() {
                    let global = global.map_err(|e| e.to_string())?;
                    // The first global, when mutable, is the stack pointer (`__stack_pointer`,
                    // as wasm-ld lays it out): its initial value is the top of the stack, which
                    // the first data object starts right after; it addresses the stack below
                    // it, never data. Any other global's value counts.
                    if index == 0 && global.ty.mutable {
                        continue;
                    }
                    for op in global.init_expr.get_operators_reader() {
                        if let Operator::I32Const { value } = op.map_err(|e| e.to_string())? {
                            out.insert(value.cast_unsigned());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The static offset of a load or a store.
fn memarg_offset(op: &Operator<'_>) -> Option<u32> {
    let (Operator::I32Load { memarg }
    | Operator::I64Load { memarg }
    | Operator::I32Load8S { memarg }
    | Operator::I32Load8U { memarg }
    | Operator::I32Load16S { memarg }
    | Operator::I32Load16U { memarg }
    | Operator::I64Load8S { memarg }
    | Operator::I64Load8U { memarg }
    | Operator::I64Load16S { memarg }
    | Operator::I64Load16U { memarg }
    | Operator::I64Load32S { memarg }
    | Operator::I64Load32U { memarg }
    | Operator::I32Store { memarg }
    | Operator::I64Store { memarg }
    | Operator::I32Store8 { memarg }
    | Operator::I32Store16 { memarg }
    | Operator::I64Store8 { memarg }
    | Operator::I64Store16 { memarg }
    | Operator::I64Store32 { memarg }) = op
    else {
        return None;
    };
    u32::try_from(memarg.offset).ok()
}

/// The byte at `address` of the segments, if any.
fn byte_at(segments: &mut [(u32, Vec<u8>)], address: u32) -> Option<&mut u8> {
    segments.iter_mut().find_map(|(base, bytes)| {
        let index = address.checked_sub(*base)? as usize;
        bytes.get_mut(index)
    })
}

/// `optimized` with every data object of `linked` that it can no longer reach zeroed (the
/// rules are in the module docs). Both must be the same program: `optimized` is `linked`
/// after [`crate::snip`] and `wasm-opt`, which keep data addresses.
///
/// # Errors
/// When a module cannot be parsed, `linked` has no symbol table, or the segments are not
/// all active ones at constant addresses.
pub fn prune_data(linked: &[u8], optimized: &[u8]) -> Result<Pruned, String> {
    let objects = objects(linked)?;
    let mut segments = segments(optimized)?;
    let constants = constants(optimized)?;

    // A constant inside an object points to it; one inside none may be an address folded
    // before the object it indexes.
    let inside_any = |value: u32| objects.iter().any(|object| object.contains(&value));
    let reaches_from_code = |object: &Range<u32>| {
        constants.range(object.clone()).next().is_some()
            || constants
                .range(object.start.saturating_sub(SLACK)..object.start)
                .any(|&value| !inside_any(value))
    };
    let mut reached: Vec<bool> = objects.iter().map(reaches_from_code).collect();
    let mut pending: Vec<usize> = (0..objects.len()).filter(|&i| reached[i]).collect();
    while let Some(i) = pending.pop() {
        let object = &objects[i];
        let mut address = object.start.next_multiple_of(4);
        while address + 4 <= object.end {
            let word = [0, 1, 2, 3].map(|i| byte_at(&mut segments, address + i).copied());
            if let [Some(b0), Some(b1), Some(b2), Some(b3)] = word {
                let pointer = u32::from_le_bytes([b0, b1, b2, b3]);
                for (j, target) in objects.iter().enumerate() {
                    if !reached[j] && target.contains(&pointer) {
                        reached[j] = true;
                        pending.push(j);
                    }
                }
            }
            address += 4;
        }
    }

    let kept: Vec<&Range<u32>> = objects
        .iter()
        .zip(&reached)
        .filter_map(|(object, reached)| reached.then_some(object))
        .collect();
    let (mut zeroed, mut bytes) = (0, 0);
    for (object, _) in objects
        .iter()
        .zip(&reached)
        .filter(|(_, reached)| !**reached)
    {
        zeroed += 1;
        for address in object.clone() {
            if kept.iter().any(|kept| kept.contains(&address)) {
                continue;
            }
            if let Some(byte) = byte_at(&mut segments, address) {
                if *byte != 0 {
                    bytes += 1;
                }
                *byte = 0;
            }
        }
    }
    Ok(Pruned {
        wasm: with_segments(optimized, &segments)?,
        objects: objects.len(),
        zeroed,
        bytes,
    })
}

/// `wasm` with its data section replaced by `segments` (active, memory 0); every other
/// section copied as it is.
fn with_segments(wasm: &[u8], segments: &[(u32, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| e.to_string())?;
        if let Payload::DataSection(_) = payload {
            let mut data = DataSection::new();
            for (base, bytes) in segments {
                data.active(
                    0,
                    &ConstExpr::i32_const(base.cast_signed()),
                    bytes.iter().copied(),
                );
            }
            module.section(&data);
        } else if let Some((id, range)) = payload.as_section() {
            let offset = |at: u64| usize::try_from(at).map_err(|e| e.to_string());
            module.section(&RawSection {
                id,
                data: &wasm[offset(range.start)?..offset(range.end)?],
            });
        }
    }
    Ok(module.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unsigned LEB128.
    fn leb(mut value: u32, out: &mut Vec<u8>) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// A module whose code refers to data as below, each object a segment of its own, with a
    /// `linking` symbol table naming the objects (as `wasm-ld --emit-relocs` writes it).
    fn linked() -> Vec<u8> {
        let objects: [(u32, &str); 11] = [
            (1024, "AAAAAAAA"),             // 0: i32.const 1024
            (2048, "BBBBBBBB"),             // 1: only the stack pointer's initial value
            (3072, "CCCC\\00\\10\\00\\00"), // 2: i32.const 3076; holds a pointer to 4096
            (4096, "DDDDDDDD"),             // 3: reached through that pointer
            (5120, "EEEEEEEE"),             // 4: nothing refers to it
            (6144, "FFFFFFFF"),             // 5: i32.const 6100, in no object, 44 bytes before
            (7168, "GGGGGGGG"),             // 6: a load's static offset
            (8192, "HHHHHHHH"),             // 7: i32.const 100 + a load's offset 8092
            (9196, "JJJJJJJJ"),             // 8: i32.const 9200
            (9216, "IIIIIIII"),             // 9: 9200 is inside J: I is not reached
            (10240, "KKKKKKKK"),            // 10: the high half of an i64.const
        ];
        let data = objects
            .iter()
            .map(|(at, bytes)| format!("(data (i32.const {at}) \"{bytes}\")"))
            .collect::<Vec<_>>()
            .join(" ");
        let wat = format!(
            "(module (memory 1) (global (mut i32) (i32.const 2048)) (global i32 (i32.const 0))
               (func (param i32) (result i32)
                 i32.const 1024 drop
                 i32.const 3076 drop
                 i32.const 6100 drop
                 local.get 0 i32.load offset=7168 drop
                 i32.const 100 i32.load offset=8092 drop
                 i32.const 9200 drop
                 i64.const 0x0000280000000005 drop
                 i32.const 0)
               {data} (data (i32.const 3080) \"gggggggg\"))"
        );
        let mut wasm = wat::parse_str(wat).expect("valid wat");
        let mut symbols = Vec::new();
        leb(u32::try_from(objects.len() + 1).unwrap(), &mut symbols);
        for (index, _) in objects.iter().enumerate() {
            symbols.push(1); // a data symbol
            leb(0, &mut symbols); // flags
            let name = format!("object{index}");
            leb(u32::try_from(name.len()).unwrap(), &mut symbols);
            symbols.extend(name.bytes());
            leb(u32::try_from(index).unwrap(), &mut symbols); // its segment
            leb(0, &mut symbols); // offset in the segment
            leb(8, &mut symbols); // size
        }
        // A string merged into the tail of A: unreached itself, its bytes A's.
        symbols.push(1);
        leb(0, &mut symbols);
        leb(4, &mut symbols);
        symbols.extend(b"tail");
        leb(0, &mut symbols);
        leb(4, &mut symbols);
        leb(4, &mut symbols);
        let mut linking = vec![2, 8]; // version 2, symbol table
        leb(u32::try_from(symbols.len()).unwrap(), &mut linking);
        linking.extend(symbols);
        let mut section = Vec::new();
        leb(7, &mut section);
        section.extend(b"linking");
        section.extend(linking);
        wasm.push(0);
        leb(u32::try_from(section.len()).unwrap(), &mut wasm);
        wasm.extend(section);
        wasm
    }

    #[test]
    fn only_objects_nothing_reaches_are_zeroed() {
        let wasm = linked();
        let pruned = prune_data(&wasm, &wasm).expect("prunes");
        assert_eq!((pruned.objects, pruned.zeroed, pruned.bytes), (12, 4, 24));
        // The bytes of the segment at `at` in `wasm`.
        let segment = |wasm: &[u8], at: u32| {
            segments(wasm)
                .expect("parses")
                .into_iter()
                .find(|(base, _)| *base == at)
                .map(|(_, bytes)| bytes)
                .expect("segment")
        };
        let before = |at: u32| segment(&wasm, at);
        let bytes = |at: u32| segment(&pruned.wasm, at);
        for (at, kept) in [
            (1024, true),
            (2048, false),
            (3072, true),
            (4096, true),
            (5120, false),
            (6144, true),
            (7168, true),
            (8192, true),
            (9196, true),
            (9216, false),
            (10240, true),
            (3080, true),
        ] {
            if kept {
                assert_eq!(bytes(at), before(at), "object at {at} changed");
            } else {
                assert!(bytes(at).iter().all(|&b| b == 0), "object at {at} kept");
            }
        }
    }

    #[test]
    fn a_module_without_a_symbol_table_is_refused() {
        let wasm = wat::parse_str("(module (memory 1) (data (i32.const 8) \"x\"))").unwrap();
        assert!(prune_data(&wasm, &wasm)
            .unwrap_err()
            .contains("--emit-relocs"));
    }
}
