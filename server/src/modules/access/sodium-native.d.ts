// The part of sodium-native (libsodium bindings, no types of its own) that the access module uses.
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_PUBLICKEYBYTES: number;
    crypto_sign_BYTES: number;
    /** Ed25519: true if `signature` is `publicKey`'s signature of `message`. */
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  };
  export default sodium;
}
