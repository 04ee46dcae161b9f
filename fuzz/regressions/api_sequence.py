import struct, os
def u32(v): return struct.pack('<I', v & 0xffffffff)
def u64(v): return struct.pack('<Q', v)
OP_STORE_NEW, OP_STORE_FREE, OP_LOAD, OP_DEFINE, OP_INST, OP_CALL, OP_GLOBAL, OP_HOST = 0, 1, 2, 4, 6, 8, 11, 13
def load(m): return bytes([OP_LOAD, 1 | (m << 1)])
def inst(store, b, nexports, base=0): return bytes([OP_INST, store, b]) + u32(0) + bytes([0]) + bytes(min(base + i, 13) for i in range(nexports))
def host(store, typ_b, slot, mode, value): return bytes([OP_HOST, store, typ_b, slot, mode, 0]) + u64(value)
def call(store, fslot, misuse, budget, *args): return bytes([OP_CALL, store, fslot, misuse]) + u32(budget) + b''.join(args) + u32(0)
M0_EXPORTS = 23; M2_EXPORTS = 4
out = {}
# ward_call(store, add, NULL, 2, ...)
out['null-args'] = bytes([0]) + load(2) + inst(0, 16, M2_EXPORTS) + call(0, 1, 1, 0, u32(1), u32(2))
# rec -> env.cb -> ward_call(rec) ... 65535 deep
out['host-reentry'] = bytes([0]) + host(0, 0, 15, 1, 0) + bytes([OP_DEFINE, 0, 15]) + load(0) + \
    bytes([OP_INST, 0, 0]) + u32(0xFFFF) + bytes([0]) + bytes(min(i, 13) for i in range(M0_EXPORTS)) + call(0, 4, 6, 0xFFFF, u32(100000))
# global of store 1 set to a funcref of store 0; store 0 freed; store 1's callg calls it
out['cross-store-global'] = bytes([0]) + load(2) + load(0) + inst(0, 16, M2_EXPORTS) + \
    host(1, 0, 15, 0, 0) + bytes([OP_DEFINE, 1, 15]) + inst(1, 35, M0_EXPORTS, 4) + \
    bytes([OP_GLOBAL, 0x85, 7]) + bytes([OP_STORE_FREE, 0]) + call(1, 14, 0, 0, u32(3))
# a host function of store 0 linked into an instance of store 1; store 0 freed; rec calls it
out['cross-store-link'] = bytes([0]) + load(0) + host(0, 0, 15, 0, 0) + bytes([OP_DEFINE, 0, 15]) + \
    inst(1, 0, M0_EXPORTS) + bytes([OP_STORE_FREE, 0]) + call(1, 4, 0, 0, u32(5))
# a host function's trap record with kind 999 and 1000 frames reaches the embedder
out['host-bad-trap'] = bytes([0]) + host(0, 0, 15, 3, (1000 << 16) | 999) + call(0, 15, 0, 0, u32(1))
# max_call_depth = UINT32_MAX: frames array size wraps
out['max-call-depth'] = bytes([24]) + load(2) + inst(0, 16, M2_EXPORTS) + call(0, 3, 0, 0, u32(70))
os.makedirs('fuzz/regressions/api_sequence', exist_ok=True)
for k, v in out.items():
    open('fuzz/regressions/api_sequence/' + k, 'wb').write(v)
    print(k, len(v))
