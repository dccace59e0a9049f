;; What the recurrence kernels share (lstm.wat, gru.wat): float32 exp, sigmoid and tanh on four lanes,
;; the flush of tiny values, and the small matrix product of each step. Not a module: `npm run
;; build:wasm` (tools/wasm-modules.ts) splices these functions into each kernel that lists this file,
;; so that the calls stay within one module.

;; e^x in float32, Cephes's expf: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a degree-7 polynomial
;; (about 1 ulp), times 2^k built in the exponent bits. x is clamped to ±87 so that 2^k stays a
;; normal float and 1 / (1 + e^x) never comes out subnormal (slow on x86).
(func $exp (param $x v128) (result v128)
  (local $k v128) (local $r v128) (local $p v128)
  (local.set $x
    (f32x4.pmin (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -87))) (f32x4.splat (f32.const 87))))
  (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
  ;; ln 2 in two parts (Cephes's C1 + C2), so that k·ln 2 is exact enough.
  (local.set $r
    (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $k) (f32x4.splat (f32.const -2.12194440e-4)))))
  (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
  (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
  (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
  (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
  (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
  (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
  ;; e^r ≈ 1 + r + r²·p(r)
  (local.set $p
    (f32x4.add
      (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
      (f32x4.splat (f32.const 1))))
  (f32x4.mul (local.get $p)
    (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (i32x4.splat (i32.const 127)))
      (i32.const 23))))

;; 1 / (1 + e^-x)
(func $sigmoid (param $x v128) (result v128)
  (f32x4.div (f32x4.splat (f32.const 1))
    (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.neg (local.get $x))))))

;; tanh x: Cephes's tanhf, an odd polynomial for |x| < 0.625 (where 1 − 2 / (e^2|x| + 1) would lose
;; digits to cancellation), that formula with x's sign elsewhere.
(func $tanh (param $x v128) (result v128)
  (local $a v128) (local $z v128) (local $small v128) (local $large v128)
  (local.set $a (f32x4.abs (local.get $x)))
  (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
  (local.set $small (f32x4.splat (f32.const -5.70498872745e-3)))
  (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const 2.06390887954e-2))))
  (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -5.37397155531e-2))))
  (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const 1.33314422036e-1))))
  (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $z)) (f32x4.splat (f32.const -3.33332819422e-1))))
  (local.set $small
    (f32x4.add (f32x4.mul (f32x4.mul (local.get $small) (local.get $z)) (local.get $x)) (local.get $x)))
  (local.set $large
    (f32x4.sub (f32x4.splat (f32.const 1))
      (f32x4.div (f32x4.splat (f32.const 2))
        (f32x4.add (call $exp (f32x4.add (local.get $a) (local.get $a))) (f32x4.splat (f32.const 1))))))
  (local.set $large
    (v128.or (local.get $large) (v128.and (local.get $x) (i32x4.splat (i32.const 0x80000000)))))
  (v128.bitselect (local.get $small) (local.get $large)
    (f32x4.lt (local.get $a) (f32x4.splat (f32.const 0.625)))))

;; x, or 0 in the lanes where |x| < 2^-60 (NaN is kept). Why: x86 processors take a slow path (a
;; microcode assist per operation) whenever an operand or a result is a subnormal float32, and
;; WebAssembly has no flush-to-zero mode. Gradients that fade over hundreds of steps get that small,
;; and so do the products of two small factors inside the step products; measured with the earlier
;; TypeScript recurrence, one 128×256 · 256×64 product took 63 ms with subnormal inputs instead of
;; 0.2 ms. 2^-60 ≈ 8.7e-19 keeps the product of two surviving values a normal float (≥ 2^-120), and
;; changes nothing float32 training can see (Adam's epsilon is 1e-7).
(func $flush (param $x v128) (result v128)
  (v128.andnot (local.get $x) (f32x4.lt (f32x4.abs (local.get $x)) (f32x4.splat (f32.const 0x1p-60)))))

;; out[i, j] (+)= Σ_p a[i, p] · b[p, j] for i < m, j < n, p < k, where a[i, p] is at
;; a + i·a_row + p·a_inner, b[p, j] at b + p·b_row + 4j and out[i, j] at out + i·out_row + 4j (bytes).
;; m a multiple of 4, n of 8: blocks of 4 rows × 8 columns, eight lanes of sums in registers.
(func $matmul
  (param $a i32) (param $a_row i32) (param $a_inner i32)
  (param $b i32) (param $b_row i32)
  (param $out i32) (param $out_row i32)
  (param $m i32) (param $k i32) (param $n i32) (param $accumulate i32)
  (local $i i32) (local $jb i32) (local $nb i32) (local $p i32)
  (local $pa i32) (local $pb i32) (local $po i32) (local $q i32) (local $a_row2 i32) (local $a_row3 i32)
  (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
  (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
  (local $b0 v128) (local $b1 v128) (local $v v128)
  (local.set $a_row2 (i32.add (local.get $a_row) (local.get $a_row)))
  (local.set $a_row3 (i32.add (local.get $a_row2) (local.get $a_row)))
  (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
  (block $rows_done
    (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $jb (i32.const 0))
      (block $columns_done
        (loop $columns
          (br_if $columns_done (i32.ge_u (local.get $jb) (local.get $nb)))
          (local.set $po
            (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $i) (local.get $out_row)) (local.get $jb))))
          (if (local.get $accumulate)
            (then
              (local.set $s0 (v128.load (local.get $po)))
              (local.set $s1 (v128.load offset=16 (local.get $po)))
              (local.set $s2 (v128.load (i32.add (local.get $po) (local.get $out_row))))
              (local.set $s3 (v128.load offset=16 (i32.add (local.get $po) (local.get $out_row))))
              (local.set $q (i32.add (local.get $po) (i32.shl (local.get $out_row) (i32.const 1))))
              (local.set $s4 (v128.load (local.get $q)))
              (local.set $s5 (v128.load offset=16 (local.get $q)))
              (local.set $s6 (v128.load (i32.add (local.get $q) (local.get $out_row))))
              (local.set $s7 (v128.load offset=16 (i32.add (local.get $q) (local.get $out_row)))))
            (else
              (local.set $s0 (v128.const i32x4 0 0 0 0))
              (local.set $s1 (v128.const i32x4 0 0 0 0))
              (local.set $s2 (v128.const i32x4 0 0 0 0))
              (local.set $s3 (v128.const i32x4 0 0 0 0))
              (local.set $s4 (v128.const i32x4 0 0 0 0))
              (local.set $s5 (v128.const i32x4 0 0 0 0))
              (local.set $s6 (v128.const i32x4 0 0 0 0))
              (local.set $s7 (v128.const i32x4 0 0 0 0))))
          (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $a_row))))
          (local.set $pb (i32.add (local.get $b) (local.get $jb)))
          (local.set $p (local.get $k))
          (block $inner_done
            (loop $inner
              (br_if $inner_done (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $v (v128.load32_splat (local.get $pa)))
              (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $v) (local.get $b0))))
              (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $v) (local.get $b1))))
              (local.set $v (v128.load32_splat (i32.add (local.get $pa) (local.get $a_row))))
              (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $v) (local.get $b0))))
              (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $v) (local.get $b1))))
              (local.set $v (v128.load32_splat (i32.add (local.get $pa) (local.get $a_row2))))
              (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (local.get $v) (local.get $b0))))
              (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (local.get $v) (local.get $b1))))
              (local.set $v (v128.load32_splat (i32.add (local.get $pa) (local.get $a_row3))))
              (local.set $s6 (f32x4.add (local.get $s6) (f32x4.mul (local.get $v) (local.get $b0))))
              (local.set $s7 (f32x4.add (local.get $s7) (f32x4.mul (local.get $v) (local.get $b1))))
              (local.set $pa (i32.add (local.get $pa) (local.get $a_inner)))
              (local.set $pb (i32.add (local.get $pb) (local.get $b_row)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $inner)))
          (v128.store (local.get $po) (local.get $s0))
          (v128.store offset=16 (local.get $po) (local.get $s1))
          (local.set $po (i32.add (local.get $po) (local.get $out_row)))
          (v128.store (local.get $po) (local.get $s2))
          (v128.store offset=16 (local.get $po) (local.get $s3))
          (local.set $po (i32.add (local.get $po) (local.get $out_row)))
          (v128.store (local.get $po) (local.get $s4))
          (v128.store offset=16 (local.get $po) (local.get $s5))
          (local.set $po (i32.add (local.get $po) (local.get $out_row)))
          (v128.store (local.get $po) (local.get $s6))
          (v128.store offset=16 (local.get $po) (local.get $s7))
          (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
          (br $columns)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows))))
