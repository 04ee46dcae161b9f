#!/usr/bin/env python3
"""The id of a DAG node from its definition in include/ward_dag.h, computed
independently of ward: BLAKE2b-256 of "ward-dag-v1" || u64le(len) ||
payload || u32le(parent count) || parent ids.
    dag_id.py PAYLOAD [PARENT_HEX...]"""
import hashlib
import struct
import sys


def dag_id(payload: bytes, parents: list) -> str:
    h = hashlib.blake2b(digest_size=32)
    h.update(b"ward-dag-v1" + struct.pack("<Q", len(payload)) + payload)
    h.update(struct.pack("<I", len(parents)))
    for p in parents:
        h.update(bytes.fromhex(p))
    return h.hexdigest()


if __name__ == "__main__":
    print(dag_id(sys.argv[1].encode(), sys.argv[2:]))
