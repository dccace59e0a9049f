;; The inner loops of PV-DBOW with cosine similarity (see pv-dbow.ts for the objective): training a
;; document's vector together with the n-gram vectors it meets, and fitting a new document's vector
;; with the n-gram vectors frozen (fold-in). Plain WebAssembly with 128-bit SIMD, four floats a lane.
;;
;; Every vector is `dims` float32 at a byte offset into the shared memory; column c of the n-gram
;; vectors is at `vectors + 4·c·dims`. A document's work comes as `pairs`: for each occurrence,
;; `per` = 1 + negatives int32 columns, the n-gram that occurs first (label 1), then the noise
;; n-grams (label 0); -1 marks a noise draw that was skipped. `step` is `dims` floats of scratch.
;;
;; Rebuild pv-dbow-wasm.ts from this file with `npm run build:wasm` (test/models/docvec checks that
;; the two agree).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Where $touch_rows leaves the sum of what it read, so that no compiler drops the reads.
  (global $sink (mut f32) (f32.const 0))

  ;; Reads one float of every 64-byte line of the rows an occurrence's pairs name. Called for the next
  ;; occurrence before the current one is worked on, so that the cache misses of its rows (the n-gram
  ;; table is hundreds of megabytes, read at random) overlap one another and the current arithmetic,
  ;; instead of stalling one after another as the dot products reach each row.
  (func $touch_rows (param $vectors i32) (param $pairs i32) (param $per i32) (param $row_bytes i32)
    (local $j i32) (local $column i32) (local $v i32) (local $o i32) (local $sum f32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $j) (local.get $per)))
        (local.set $column (i32.load (i32.add (local.get $pairs) (i32.shl (local.get $j) (i32.const 2)))))
        (if (i32.ge_s (local.get $column) (i32.const 0))
          (then
            (local.set $v (i32.add (local.get $vectors) (i32.mul (local.get $column) (local.get $row_bytes))))
            (local.set $o (i32.const 0))
            (block $row_done
              (loop $line
                (br_if $row_done (i32.ge_u (local.get $o) (local.get $row_bytes)))
                (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $v) (local.get $o)))))
                (local.set $o (i32.add (local.get $o) (i32.const 64)))
                (br $line)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row)))
    (global.set $sink (local.get $sum)))

  ;; e^x for the |x| ≤ α of a sigmoid of α·cos: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor
  ;; series to r¹¹/11! (error under 1e-13), times 2^k made from its exponent bits. Computed here because
  ;; calling out to JavaScript's Math.exp for every pair costs more than the series.
  (func $exp (param $x f64) (result f64)
    (local $k f64) (local $r f64) (local $p f64)
    (local.set $x (f64.min (f64.const 700) (f64.max (f64.const -700) (local.get $x))))
    (local.set $k (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    ;; ln 2 in two parts (fdlibm's), so that k·ln 2 is exact enough.
    (local.set $r
      (f64.sub
        (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 6.93147180369123816490e-01)))
        (f64.mul (local.get $k) (f64.const 1.90821492927058770002e-10))))
    ;; Horner over the coefficients 1/n!, n = 11 down to 0.
    (local.set $p (f64.const 2.505210838544172e-08))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.755731922398589e-07)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.7557319223985893e-06)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.48015873015873e-05)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.0001984126984126984)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.001388888888888889)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.008333333333333333)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.041666666666666664)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.16666666666666666)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.5)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1.0)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1.0)))
    (f64.mul (local.get $p)
      (f64.reinterpret_i64
        (i64.shl (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52)))))

  ;; Σ a·b and Σ b·b over dims floats.
  (func $dot_and_square (param $a i32) (param $b i32) (param $dims i32) (result f32 f32)
    (local $ab v128) (local $bb v128) (local $vb v128) (local $i i32) (local $end i32)
    (local $sum_ab f32) (local $sum_bb f32) (local $x f32)
    (local.set $end (i32.shl (i32.and (local.get $dims) (i32.const -4)) (i32.const 2)))
    (block $simd_done
      (loop $simd
        (br_if $simd_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $vb (v128.load (i32.add (local.get $b) (local.get $i))))
        (local.set $ab
          (f32x4.add (local.get $ab)
            (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (local.get $vb))))
        (local.set $bb (f32x4.add (local.get $bb) (f32x4.mul (local.get $vb) (local.get $vb))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $simd)))
    (local.set $sum_ab
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $ab)) (f32x4.extract_lane 1 (local.get $ab)))
        (f32.add (f32x4.extract_lane 2 (local.get $ab)) (f32x4.extract_lane 3 (local.get $ab)))))
    (local.set $sum_bb
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $bb)) (f32x4.extract_lane 1 (local.get $bb)))
        (f32.add (f32x4.extract_lane 2 (local.get $bb)) (f32x4.extract_lane 3 (local.get $bb)))))
    ;; The floats past the last whole lane.
    (local.set $end (i32.shl (local.get $dims) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (f32.load (i32.add (local.get $b) (local.get $i))))
        (local.set $sum_ab
          (f32.add (local.get $sum_ab)
            (f32.mul (f32.load (i32.add (local.get $a) (local.get $i))) (local.get $x))))
        (local.set $sum_bb (f32.add (local.get $sum_bb) (f32.mul (local.get $x) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))
    (local.get $sum_ab)
    (local.get $sum_bb))

  ;; ‖h‖, never 0 (a zero vector would leave the cosine undefined).
  (func $norm (param $h i32) (param $dims i32) (result f64)
    (local $hh f64)
    (call $dot_and_square (local.get $h) (local.get $h) (local.get $dims))
    (local.set $hh (f64.promote_f32))
    drop
    (if (result f64) (f64.eq (local.get $hh) (f64.const 0))
      (then (f64.const 1e-12))
      (else (f64.sqrt (local.get $hh)))))

  ;; step += a·v − b·h, and, when `move` is set, v ← c·v + a'·h with a' = `av`.
  (func $pair_update
    (param $h i32) (param $v i32) (param $step i32) (param $dims i32)
    (param $a f32) (param $b f32) (param $move i32) (param $c f32) (param $av f32)
    (local $i i32) (local $end i32) (local $vh v128) (local $vv v128)
    (local $va v128) (local $vbb v128) (local $vc v128) (local $vav v128) (local $x f32) (local $y f32)
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vbb (f32x4.splat (local.get $b)))
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $vav (f32x4.splat (local.get $av)))
    (local.set $end (i32.shl (i32.and (local.get $dims) (i32.const -4)) (i32.const 2)))
    (block $simd_done
      (loop $simd
        (br_if $simd_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $vh (v128.load (i32.add (local.get $h) (local.get $i))))
        (local.set $vv (v128.load (i32.add (local.get $v) (local.get $i))))
        (v128.store (i32.add (local.get $step) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $step) (local.get $i)))
            (f32x4.sub (f32x4.mul (local.get $va) (local.get $vv))
              (f32x4.mul (local.get $vbb) (local.get $vh)))))
        (if (local.get $move)
          (then
            (v128.store (i32.add (local.get $v) (local.get $i))
              (f32x4.add (f32x4.mul (local.get $vc) (local.get $vv))
                (f32x4.mul (local.get $vav) (local.get $vh))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.shl (local.get $dims) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (f32.load (i32.add (local.get $h) (local.get $i))))
        (local.set $y (f32.load (i32.add (local.get $v) (local.get $i))))
        (f32.store (i32.add (local.get $step) (local.get $i))
          (f32.add (f32.load (i32.add (local.get $step) (local.get $i)))
            (f32.sub (f32.mul (local.get $a) (local.get $y)) (f32.mul (local.get $b) (local.get $x)))))
        (if (local.get $move)
          (then
            (f32.store (i32.add (local.get $v) (local.get $i))
              (f32.add (f32.mul (local.get $c) (local.get $y)) (f32.mul (local.get $av) (local.get $x))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))

  ;; dst += src, then src ← 0, over dims floats.
  (func $add_and_clear (param $dst i32) (param $src i32) (param $dims i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $dims) (i32.const -4)) (i32.const 2)))
    (block $simd_done
      (loop $simd
        (br_if $simd_done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $i)))
            (v128.load (i32.add (local.get $src) (local.get $i)))))
        (v128.store (i32.add (local.get $src) (local.get $i)) (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.shl (local.get $dims) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $dst) (local.get $i))
          (f32.add (f32.load (i32.add (local.get $dst) (local.get $i)))
            (f32.load (i32.add (local.get $src) (local.get $i)))))
        (f32.store (i32.add (local.get $src) (local.get $i)) (f32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))

  ;; (label − σ(α·cos))·α·rate: the step of the loss −log σ(±α cos) along ∂cos.
  (func $gradient (param $cos f64) (param $label f64) (param $alpha f64) (param $rate f64) (result f64)
    (f64.mul
      (f64.mul
        (f64.sub (local.get $label)
          (f64.div (f64.const 1)
            (f64.add (f64.const 1) (call $exp (f64.neg (f64.mul (local.get $alpha) (local.get $cos)))))))
        (local.get $alpha))
      (local.get $rate)))

  ;; One document's occurrences in training: each moves the document's vector (after all of its pairs,
  ;; through `step`) and the n-gram vectors it meets (at once, as word2vec does). `step` must start at 0.
  (func (export "train_document")
    (param $h i32) (param $vectors i32) (param $pairs i32) (param $count i32) (param $per i32)
    (param $dims i32) (param $alpha f64) (param $rate f64) (param $step i32)
    (local $p i32) (local $j i32) (local $column i32) (local $v i32) (local $row_bytes i32)
    (local $h_norm f64) (local $dot f64) (local $vv f64) (local $inverse f64) (local $cos f64) (local $g f64)
    (local.set $row_bytes (i32.shl (local.get $dims) (i32.const 2)))
    (block $occurrences_done
      (loop $occurrences
        (br_if $occurrences_done (i32.ge_u (local.get $p) (local.get $count)))
        (if (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $count))
          (then
            (call $touch_rows (local.get $vectors)
              (i32.add (local.get $pairs) (i32.shl (local.get $per) (i32.const 2)))
              (local.get $per) (local.get $row_bytes))))
        (local.set $h_norm (call $norm (local.get $h) (local.get $dims)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $per)))
            (local.set $column (i32.load (local.get $pairs)))
            (local.set $pairs (i32.add (local.get $pairs) (i32.const 4)))
            (if (i32.ge_s (local.get $column) (i32.const 0))
              (then
                (local.set $v (i32.add (local.get $vectors) (i32.mul (local.get $column) (local.get $row_bytes))))
                (call $dot_and_square (local.get $h) (local.get $v) (local.get $dims))
                (local.set $vv (f64.promote_f32))
                (local.set $dot (f64.promote_f32))
                (if (f64.eq (local.get $vv) (f64.const 0)) (then (local.set $vv (f64.const 1e-24))))
                (local.set $inverse (f64.div (f64.const 1) (f64.mul (local.get $h_norm) (f64.sqrt (local.get $vv)))))
                (local.set $cos (f64.mul (local.get $dot) (local.get $inverse)))
                (local.set $g
                  (call $gradient (local.get $cos) (f64.convert_i32_u (i32.eqz (local.get $j)))
                    (local.get $alpha) (local.get $rate)))
                ;; step += g·(v/(‖h‖‖v‖) − h·cos/‖h‖²);  v += g·(h/(‖h‖‖v‖) − v·cos/‖v‖²)
                (call $pair_update (local.get $h) (local.get $v) (local.get $step) (local.get $dims)
                  (f32.demote_f64 (f64.mul (local.get $g) (local.get $inverse)))
                  (f32.demote_f64
                    (f64.div (f64.mul (local.get $g) (local.get $cos))
                      (f64.mul (local.get $h_norm) (local.get $h_norm))))
                  (i32.const 1)
                  (f32.demote_f64
                    (f64.sub (f64.const 1) (f64.div (f64.mul (local.get $g) (local.get $cos)) (local.get $vv))))
                  (f32.demote_f64 (f64.mul (local.get $g) (local.get $inverse))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pair)))
        (call $add_and_clear (local.get $h) (local.get $step) (local.get $dims))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $occurrences))))

  ;; One pass of fold-in over a new document's occurrences: only the document's vector moves, and the
  ;; step size falls by `rate_fall` per occurrence from `rate` to no less than `rate_floor`.
  ;; ‖v‖ comes from the same pass as h·v: looking it up in a table of the frozen norms cost a cache miss
  ;; a pair on a large vocabulary, more than the multiply-adds it saved.
  (func (export "infer_document")
    (param $h i32) (param $vectors i32) (param $pairs i32) (param $count i32)
    (param $per i32) (param $dims i32) (param $alpha f64) (param $rate f64) (param $rate_fall f64)
    (param $rate_floor f64) (param $step i32)
    (local $p i32) (local $j i32) (local $column i32) (local $v i32) (local $row_bytes i32)
    (local $h_norm f64) (local $dot f64) (local $vv f64) (local $inverse f64) (local $cos f64) (local $g f64)
    (local $now f64)
    (local.set $row_bytes (i32.shl (local.get $dims) (i32.const 2)))
    (block $occurrences_done
      (loop $occurrences
        (br_if $occurrences_done (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $now
          (f64.max (local.get $rate_floor)
            (f64.sub (local.get $rate) (f64.mul (f64.convert_i32_u (local.get $p)) (local.get $rate_fall)))))
        (if (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $count))
          (then
            (call $touch_rows (local.get $vectors)
              (i32.add (local.get $pairs) (i32.shl (local.get $per) (i32.const 2)))
              (local.get $per) (local.get $row_bytes))))
        (local.set $h_norm (call $norm (local.get $h) (local.get $dims)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $per)))
            (local.set $column (i32.load (local.get $pairs)))
            (local.set $pairs (i32.add (local.get $pairs) (i32.const 4)))
            (if (i32.ge_s (local.get $column) (i32.const 0))
              (then
                (local.set $v (i32.add (local.get $vectors) (i32.mul (local.get $column) (local.get $row_bytes))))
                (call $dot_and_square (local.get $h) (local.get $v) (local.get $dims))
                (local.set $vv (f64.promote_f32))
                (local.set $dot (f64.promote_f32))
                (if (f64.eq (local.get $vv) (f64.const 0)) (then (local.set $vv (f64.const 1e-24))))
                (local.set $inverse (f64.div (f64.const 1) (f64.mul (local.get $h_norm) (f64.sqrt (local.get $vv)))))
                (local.set $cos (f64.mul (local.get $dot) (local.get $inverse)))
                (local.set $g
                  (call $gradient (local.get $cos) (f64.convert_i32_u (i32.eqz (local.get $j)))
                    (local.get $alpha) (local.get $now)))
                (call $pair_update (local.get $h) (local.get $v) (local.get $step) (local.get $dims)
                  (f32.demote_f64 (f64.mul (local.get $g) (local.get $inverse)))
                  (f32.demote_f64
                    (f64.div (f64.mul (local.get $g) (local.get $cos))
                      (f64.mul (local.get $h_norm) (local.get $h_norm))))
                  (i32.const 0) (f32.const 0) (f32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pair)))
        (call $add_and_clear (local.get $h) (local.get $step) (local.get $dims))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $occurrences)))))
