/*
 * Known-answer vectors for ward:crypto, as hex strings: FIPS 180-4
 * (SHA-256/512 of "abc", the 448- and 896-bit messages, a million 'a'),
 * RFC 7693 BLAKE2b-512("abc"), libsodium's keyed BLAKE2b KAT (key 00..3f,
 * input 00..n-1), RFC 8032 Ed25519 tests 1-3, draft-irtf-cfrg-xchacha-03
 * A.3.1, RFC 8439 A.1 (the zero-seed ChaCha20 stream), and values for
 * crypto_kdf, Argon2id, X25519 and crypto_kx computed by independent code.
 * Every one is checked against hashlib / PyNaCl / a Python ChaCha20 by
 * cross_check.py (the Argon2id one also by the argon2 CLI:
 * echo -n password | argon2 somesaltsomesalt -id -t 2 -k 64 -p 1 -l 32 -r).
 */
#ifndef WARD_TEST_CRYPTO_VECTORS_H
#define WARD_TEST_CRYPTO_VECTORS_H

#define MSG_448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG_896                                                          \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno" \
    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

/* RFC 8032 7.1: the secret key is the 32-byte seed. */
#define KAT_ED_SEED1 \
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define KAT_ED_PK1 \
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define KAT_ED_MSG1 ""
#define KAT_ED_SIG1 \
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" \
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
#define KAT_ED_SEED2 \
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
#define KAT_ED_PK2 \
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
#define KAT_ED_MSG2 "72"
#define KAT_ED_SIG2 \
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" \
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
#define KAT_ED_SEED3 \
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"
#define KAT_ED_PK3 \
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"
#define KAT_ED_MSG3 "af82"
#define KAT_ED_SIG3 \
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac" \
    "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"

/* draft-irtf-cfrg-xchacha-03 A.3.1 */
#define KAT_AEAD_PT \
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173" \
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f" \
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" \
    "637265656e20776f756c642062652069742e"
#define KAT_AEAD_AD \
    "50515253c0c1c2c3c4c5c6c7"
#define KAT_AEAD_KEY \
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
#define KAT_AEAD_NONCE \
    "404142434445464748494a4b4c4d4e4f5051525354555657"
#define KAT_AEAD_CT \
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb" \
    "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452" \
    "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9" \
    "21f9664c97637da9768812f615c68b13b52e"
#define KAT_AEAD_TAG \
    "c0875924c1c7987947deafd8780acf49"

/* FIPS 180-4 (NIST examples) */
#define KAT_SHA256_ABC \
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define KAT_SHA256_448 \
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define KAT_SHA256_896 \
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
#define KAT_SHA256_MILLION \
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
#define KAT_SHA512_ABC \
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
#define KAT_SHA512_448 \
    "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335" \
    "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
#define KAT_SHA512_896 \
    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018" \
    "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
#define KAT_SHA512_MILLION \
    "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb" \
    "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"

/* RFC 7693 appendix A; libsodium's blake2b KAT (key 00..3f, input 00..n-1) */
#define KAT_BLAKE2B_ABC \
    "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" \
    "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
#define KAT_BLAKE2B_KEYED_0 \
    "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786" \
    "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"
#define KAT_BLAKE2B_KEYED_3 \
    "33d0825dddf7ada99b0e7e307104ad07ca9cfd9692214f1561356315e784f3e5" \
    "a17e364ae9dbb14cb2036df932b77f4b292761365fb328de7afdc6d8998f5fc1"
#define KAT_BLAKE2B_KEYED_255 \
    "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248" \
    "4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461"
#define KAT_BLAKE2B256_KEY32_3 \
    "e14fc9161564dd081204f2dd6146a9ffbef66f95d5dc80e0a225e213c09dad7b"

/* crypto_kdf: master key 00..1f, context "KDF test"; ids 0 (32 bytes), 1 (64), 2^63 (16) */
#define KAT_KDF_0 \
    "c13fcc2e6cd0cd0f82d93b163a5696c5105378f8c629d36baf3ae0239de9c280"
#define KAT_KDF_1_64 \
    "02507f144fa9bf19010bf7c70b235b4c2663cc00e074f929602a5e2c10a78075" \
    "7d2a3993d06debc378a90efdac196dd841817b977d67b786804f6d3cd585bab5"
#define KAT_KDF_BIG_16 \
    "4c96ab10fa61fef062f10bf670f048a7"

/* Argon2id v1.3: "password", salt "somesaltsomesalt", 2 passes, 64 KiB, 32 bytes */
#define KAT_ARGON2ID \
    "1a98fba8e6394425c9bdc333a9c750aaf811df070f5fb4a5788e1cf4db5793a1"

/* X25519 key pairs from seeds SHA-256("ward box seed 1"/"2"), kx of 1 (client) with 2,
 * and a box sealed to 1 by PyNaCl holding "sealed for ward" */
#define KAT_BOX_SEED \
    "9eaaacc29e8db72d5a860106dd1ed9714c4e1087f1cd2bf37307c52ec76a5f8e"
#define KAT_BOX_PK \
    "747c3248d7a41ffaef61a7cee72ecae775e905420b753c910185f1fea54bc916"
#define KAT_BOX_SK \
    "642040631efd5b0730fa4017e558fa6eac5d1d75ee52f93daff70ee6fb41d2c0"
#define KAT_BOX_SEED2 \
    "2d07109ce0b1741f33239100036cb09b899b31b1d2beca853643a42b0d9b0244"
#define KAT_BOX_PK2 \
    "2ec0087aa5dd7218a9482f5b350591960b1f5f4710506f97a60c2f12da9b1e59"
#define KAT_BOX_SK2 \
    "a2683581691329774bf4ca73623038b3191b47b58f390817d20f4e008c897d87"
#define KAT_KX_CLIENT_RX \
    "c265578b10dc7f4fb622f8d655b5ee4a105698b0b9678edcb0445575a05aceea"
#define KAT_KX_CLIENT_TX \
    "ac309265627c0e864f21c73b014cebf7836180c2fcc214345c1cd2e9a7ec3b4c"
#define KAT_SEALED \
    "2b410bbf5654481a3fe2b87747aa993d4977e1428f6ca79944a25470bd819319" \
    "511d0311a26b7b3bbd6c32b6f43ab14044f71fe67e7156d8078e3732ab5f87"

/* wcrypto_box_seal_from_seed: "sealed for ward" sealed to KAT_BOX_PK with the
 * ephemeral seed SHA-256("ward seal eseed"), computed by PyNaCl as libsodium
 * seals (epk || crypto_box(m, BLAKE2b-192(epk || pk), pk, esk)) */
#define KAT_SEAL_ESEED \
    "f1691fd224bf6b1bb6141777b040407651ee8648390b93e4f6ea97b8cdd81dbc"
#define KAT_SEALED_SEEDED \
    "69d06b30939f4414c5007b252d4c5d22a99fc6dc195a45562069c2c523af876d" \
    "f5713d6d3d3dd8e2efed9f540776acd7c8c52f0e052e5964cacea693a970f9"

/* RFC 8439 A.1 #1 (ChaCha20, zero key and nonce): the zero-seed random stream;
 * then three blocks under the seed 00..1f */
#define KAT_STREAM_ZERO \
    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7" \
    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
#define KAT_STREAM_SEQ \
    "39fd2b7dd9c5196a8dbd0377b8dc4a498a35d86fbcde6accb2cc7d4cd8ea2492" \
    "2b23cce7a26023ab3f0eef693ac87f64258235eab1f7a32dc22762a0485b410c" \
    "18b84231ade6a6d113615c61af434e27f8b1f3f5e1ad5b5cecf8fc122a35755c" \
    "7208086dd1ee3c5d9d815824640e003c9ba0f65ede5d59ce0d2a4a7f31955acd" \
    "42f22ddca74a92d56ca78aef298e723b60237f3647eabeb7f3e09c30ce80e3e2" \
    "84a8021b8a5c0b2494cd3c8d5b13507ec7e7a0784df4a3e2ea8162d261c59d23"

#endif
