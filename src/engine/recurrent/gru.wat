;; The whole GRU layer over a batch of sequences, forward and backward, in one call each (see gru.ts
;; for the arithmetic and gru-kernel.ts for the memory layout). Plain WebAssembly with 128-bit SIMD,
;; four floats a lane. TF.js's GRUCell (reset gate applied before the recurrent product):
;;   z, r = σ(x·W_zr + b_zr + h·R_zr),  h̃ = tanh(x·W_h + b_h + (r ⊙ h)·R_h),  h' = z ⊙ h + (1 − z) ⊙ h̃.
;;
;; Sizes are padded by the caller as for lstm.wat: `rows` a multiple of 4, `units` and `features`
;; multiples of 8; padded units have zero weights and stay zero, padded rows are masked. A row of
;; 3·units floats holds z, r, h̃ (or their gradients). Every pointer is a byte offset into the
;; imported memory.
;;
;; Rebuild gru-wasm.ts from this file and recurrence-math.wat with `npm run build:wasm` (a test
;; checks that they agree).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; $exp, $sigmoid, $tanh, $flush and $matmul: recurrence-math.wat, spliced in by the build.

  ;; Adds `bytes` of floats at `from` to those at `to`.
  (func $add_into (param $to i32) (param $from i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $to) (local.get $bytes)))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $to) (local.get $end)))
        (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to)) (v128.load (local.get $from))))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $lanes))))

  ;; Whether row `b` is real at time `t`.
  (func $real (param $mask i32) (param $b i32) (param $time i32) (param $t i32) (result i32)
    (i32.load8_u (i32.add (local.get $mask) (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $t)))))

  ;; Runs the GRU over every step of `x`, the layer's input `[rows, time, features]`, with kernel `w`
  ;; `[features, 3·units]`, bias `bias` `[3·units]` and recurrent kernel `r` `[units, 3·units]`, from
  ;; the zero state at `h` (`[rows, units]`). `mask` holds a byte per (row, time), non-zero where the
  ;; step is real; `active` a byte per step read, non-zero where any row is real (all-padding steps
  ;; are skipped). `rec` (`[rows, 3·units]`) and `rh` (`[rows, units]`, zeros) are scratch. Leaves
  ;; the last state at `h`; with `sequences` the state after each step read at `output + (row·time +
  ;; s)·units`. With `keep`, the trace for gru_backward: z, r, h̃ `[time, rows, 3·units]` at `gates`,
  ;; the state after each step read `[time + 1, rows, units]` at `states` (slot 0: the initial zeros,
  ;; written by the caller) and r ⊙ h entering each step `[time, rows, units]` at `resets`. Gates are
  ;; written only where a row is real at an active step: only those are read back.
  (func (export "gru_forward")
    (param $x i32) (param $w i32) (param $features i32) (param $r i32) (param $bias i32)
    (param $mask i32) (param $active i32)
    (param $rows i32) (param $time i32) (param $units i32)
    (param $backwards i32) (param $sequences i32) (param $keep i32)
    (param $h i32) (param $rec i32) (param $rh i32) (param $output i32)
    (param $gates i32) (param $states i32) (param $resets i32)
    (local $s i32) (local $t i32) (local $b i32) (local $started i32)
    (local $ub i32) (local $gb i32) (local $fb i32) (local $state_bytes i32)
    (local $ro i32) (local $go i32) (local $hb i32) (local $rhb i32) (local $bo i32) (local $end i32)
    (local $z v128) (local $reset v128) (local $candidate v128)
    (local.set $ub (i32.shl (local.get $units) (i32.const 2)))
    (local.set $gb (i32.mul (local.get $ub) (i32.const 3)))
    (local.set $fb (i32.shl (local.get $features) (i32.const 2)))
    (local.set $state_bytes (i32.mul (local.get $rows) (local.get $ub)))
    (block $steps_done
      (loop $steps
        (br_if $steps_done (i32.ge_u (local.get $s) (local.get $time)))
        (local.set $t
          (select (i32.sub (i32.sub (local.get $time) (i32.const 1)) (local.get $s)) (local.get $s)
            (local.get $backwards)))
        (if (i32.load8_u (i32.add (local.get $active) (local.get $s)))
          (then
            ;; rec = x·W for this step's rows, then + h·R_zr (before the first real step h is zero).
            (call $matmul
              (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $fb)))
              (i32.mul (local.get $time) (local.get $fb)) (i32.const 4)
              (local.get $w) (local.get $gb)
              (local.get $rec) (local.get $gb) (local.get $rows) (local.get $features)
              (i32.mul (local.get $units) (i32.const 3)) (i32.const 0))
            (if (local.get $started)
              (then
                (call $matmul (local.get $h) (local.get $ub) (i32.const 4) (local.get $r) (local.get $gb)
                  (local.get $rec) (local.get $gb) (local.get $rows) (local.get $units)
                  (i32.shl (local.get $units) (i32.const 1)) (i32.const 1))))
            ;; z, r and r ⊙ h for the real rows.
            (local.set $b (i32.const 0))
            (block $gates_done
              (loop $gate_rows
                (br_if $gates_done (i32.ge_u (local.get $b) (local.get $rows)))
                (if (call $real (local.get $mask) (local.get $b) (local.get $time) (local.get $t))
                  (then
                    (local.set $ro (i32.add (local.get $rec) (i32.mul (local.get $b) (local.get $gb))))
                    (local.set $go
                      (i32.add (local.get $gates)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))))
                    (local.set $hb (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $rhb (i32.add (local.get $rh) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $bo (local.get $bias))
                    (local.set $end (i32.add (local.get $hb) (local.get $ub)))
                    (block $units_done
                      (loop $units_loop
                        (br_if $units_done (i32.ge_u (local.get $hb) (local.get $end)))
                        (local.set $z
                          (call $sigmoid (f32x4.add (v128.load (local.get $ro)) (v128.load (local.get $bo)))))
                        ;; z goes to `rec` too, for the state update below.
                        (v128.store (local.get $ro) (local.get $z))
                        (local.set $reset
                          (call $sigmoid
                            (f32x4.add (v128.load (i32.add (local.get $ro) (local.get $ub)))
                              (v128.load (i32.add (local.get $bo) (local.get $ub))))))
                        (if (local.get $keep)
                          (then
                            (v128.store (local.get $go) (local.get $z))
                            (v128.store (i32.add (local.get $go) (local.get $ub)) (local.get $reset))))
                        (v128.store (local.get $rhb)
                          (call $flush (f32x4.mul (local.get $reset) (v128.load (local.get $hb)))))
                        (local.set $ro (i32.add (local.get $ro) (i32.const 16)))
                        (local.set $go (i32.add (local.get $go) (i32.const 16)))
                        (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                        (local.set $rhb (i32.add (local.get $rhb) (i32.const 16)))
                        (local.set $bo (i32.add (local.get $bo) (i32.const 16)))
                        (br $units_loop)))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $gate_rows)))
            (if (local.get $keep)
              (then
                (memory.copy
                  (i32.add (local.get $resets) (i32.mul (local.get $s) (local.get $state_bytes)))
                  (local.get $rh) (local.get $state_bytes))))
            ;; rec_h += (r ⊙ h)·R_h
            (if (local.get $started)
              (then
                (call $matmul (local.get $rh) (local.get $ub) (i32.const 4)
                  (i32.add (local.get $r) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gb)
                  (i32.add (local.get $rec) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gb)
                  (local.get $rows) (local.get $units) (local.get $units) (i32.const 1))))
            (local.set $started (i32.const 1))
            ;; h̃ and the new state for the real rows.
            (local.set $b (i32.const 0))
            (block $states_done
              (loop $state_rows
                (br_if $states_done (i32.ge_u (local.get $b) (local.get $rows)))
                (if (call $real (local.get $mask) (local.get $b) (local.get $time) (local.get $t))
                  (then
                    (local.set $ro (i32.add (local.get $rec) (i32.mul (local.get $b) (local.get $gb))))
                    (local.set $go
                      (i32.add (local.get $gates)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))))
                    (local.set $hb (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $bo (i32.add (local.get $bias) (i32.shl (local.get $ub) (i32.const 1))))
                    (local.set $end (i32.add (local.get $hb) (local.get $ub)))
                    (block $units_done
                      (loop $units_loop
                        (br_if $units_done (i32.ge_u (local.get $hb) (local.get $end)))
                        (local.set $candidate
                          (call $tanh
                            (f32x4.add (v128.load (i32.add (local.get $ro) (i32.shl (local.get $ub) (i32.const 1))))
                              (v128.load (local.get $bo)))))
                        (local.set $z (v128.load (local.get $ro)))
                        (if (local.get $keep)
                          (then
                            (v128.store (i32.add (local.get $go) (i32.shl (local.get $ub) (i32.const 1)))
                              (local.get $candidate))))
                        (v128.store (local.get $hb)
                          (call $flush
                            (f32x4.add (f32x4.mul (local.get $z) (v128.load (local.get $hb)))
                              (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $z))
                                (local.get $candidate)))))
                        (local.set $ro (i32.add (local.get $ro) (i32.const 16)))
                        (local.set $go (i32.add (local.get $go) (i32.const 16)))
                        (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                        (local.set $bo (i32.add (local.get $bo) (i32.const 16)))
                        (br $units_loop)))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $state_rows)))))
        (if (local.get $keep)
          (then
            (memory.copy
              (i32.add (local.get $states)
                (i32.mul (i32.add (local.get $s) (i32.const 1)) (local.get $state_bytes)))
              (local.get $h) (local.get $state_bytes))))
        (if (local.get $sequences)
          (then
            (local.set $b (i32.const 0))
            (block $copied
              (loop $copy
                (br_if $copied (i32.ge_u (local.get $b) (local.get $rows)))
                (memory.copy
                  (i32.add (local.get $output)
                    (i32.mul (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $s)) (local.get $ub)))
                  (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $ub)))
                  (local.get $ub))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $copy)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $steps))))

  ;; Back-propagates through gru_forward's trace (`gates`, `states`, `resets`, `input`, same sizes and
  ;; flags): from the gradient of the output `dy` (the last state `[rows, units]`, or with `sequences`
  ;; every step's `[rows, time, units]`), step by step through the gates (dz, at `dz`, `[rows,
  ;; 3·units]` of scratch) to the gradient of the layer's `input` written at `dinput` (zeros, written
  ;; by the caller, stay at skipped steps), using `wt` = Wᵀ `[3·units, features]`. The gradients of
  ;; W, of the recurrent kernel and of the bias are added to `dw` `[features, 3·units]`, `dr`
  ;; `[units, 3·units]` and `db` `[3·units]` (zeros). `rt` is the recurrent kernel transposed,
  ;; `[3·units, units]`; `dh` (`dy`'s last state, or zeros with `sequences`) and `drh` are `[rows,
  ;; units]` of scratch.
  (func (export "gru_backward")
    (param $dy i32) (param $rt i32) (param $mask i32) (param $active i32)
    (param $rows i32) (param $time i32) (param $units i32)
    (param $backwards i32) (param $sequences i32)
    (param $dh i32) (param $drh i32) (param $dz i32) (param $dr i32) (param $db i32)
    (param $gates i32) (param $states i32) (param $resets i32)
    (param $input i32) (param $wt i32) (param $features i32) (param $dinput i32) (param $dw i32)
    (local $s i32) (local $t i32) (local $b i32) (local $first i32)
    (local $ub i32) (local $gb i32) (local $fb i32) (local $state_bytes i32) (local $end i32)
    (local $go i32) (local $po i32) (local $zo i32) (local $hb i32) (local $eb i32)
    (local $z v128) (local $candidate v128) (local $dhv v128) (local $gate v128) (local $d v128) (local $one v128)
    (local.set $ub (i32.shl (local.get $units) (i32.const 2)))
    (local.set $gb (i32.mul (local.get $ub) (i32.const 3)))
    (local.set $fb (i32.shl (local.get $features) (i32.const 2)))
    (local.set $state_bytes (i32.mul (local.get $rows) (local.get $ub)))
    (local.set $one (f32x4.splat (f32.const 1)))
    ;; The first step read that is real somewhere: the state entering it is the constant zero.
    (local.set $first (local.get $time))
    (local.set $s (local.get $time))
    (block $found
      (loop $search
        (br_if $found (i32.eqz (local.get $s)))
        (local.set $s (i32.sub (local.get $s) (i32.const 1)))
        (if (i32.load8_u (i32.add (local.get $active) (local.get $s)))
          (then (local.set $first (local.get $s))))
        (br $search)))
    (local.set $s (local.get $time))
    (block $steps_done
      (loop $steps
        (br_if $steps_done (i32.eqz (local.get $s)))
        (local.set $s (i32.sub (local.get $s) (i32.const 1)))
        (local.set $t
          (select (i32.sub (i32.sub (local.get $time) (i32.const 1)) (local.get $s)) (local.get $s)
            (local.get $backwards)))
        (if (local.get $sequences)
          (then
            ;; dh += the gradient of the state this step returned.
            (local.set $b (i32.const 0))
            (block $added
              (loop $add
                (br_if $added (i32.ge_u (local.get $b) (local.get $rows)))
                (call $add_into
                  (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $ub)))
                  (i32.add (local.get $dy)
                    (i32.mul (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $s)) (local.get $ub)))
                  (local.get $ub))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $add)))))
        (if (i32.load8_u (i32.add (local.get $active) (local.get $s)))
          (then
            ;; dz of a masked row is zero; a masked row passes dh through unchanged.
            (memory.fill (local.get $dz) (i32.const 0) (i32.mul (local.get $rows) (local.get $gb)))
            ;; dz_z and dh̃ for the real rows; dh becomes its share through z.
            (local.set $b (i32.const 0))
            (block $rows_done
              (loop $rows_loop
                (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
                (if (call $real (local.get $mask) (local.get $b) (local.get $time) (local.get $t))
                  (then
                    (local.set $go
                      (i32.add (local.get $gates)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))))
                    ;; The state entering the step: `states` slot s.
                    (local.set $po
                      (i32.add (local.get $states)
                        (i32.add (i32.mul (local.get $s) (local.get $state_bytes)) (i32.mul (local.get $b) (local.get $ub)))))
                    (local.set $zo (i32.add (local.get $dz) (i32.mul (local.get $b) (local.get $gb))))
                    (local.set $hb (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $end (i32.add (local.get $hb) (local.get $ub)))
                    (block $units_done
                      (loop $units_loop
                        (br_if $units_done (i32.ge_u (local.get $hb) (local.get $end)))
                        (local.set $z (v128.load (local.get $go)))
                        (local.set $candidate (v128.load (i32.add (local.get $go) (i32.shl (local.get $ub) (i32.const 1)))))
                        (local.set $dhv (v128.load (local.get $hb)))
                        ;; dh̃ = dh·(1 − z)·(1 − h̃²)
                        (v128.store (i32.add (local.get $zo) (i32.shl (local.get $ub) (i32.const 1)))
                          (call $flush
                            (f32x4.mul (f32x4.mul (local.get $dhv) (f32x4.sub (local.get $one) (local.get $z)))
                              (f32x4.sub (local.get $one) (f32x4.mul (local.get $candidate) (local.get $candidate))))))
                        ;; dz_z = dh·(h_prev − h̃)·z(1 − z)
                        (v128.store (local.get $zo)
                          (call $flush
                            (f32x4.mul
                              (f32x4.mul
                                (f32x4.mul (local.get $dhv) (f32x4.sub (v128.load (local.get $po)) (local.get $candidate)))
                                (local.get $z))
                              (f32x4.sub (local.get $one) (local.get $z)))))
                        (v128.store (local.get $hb) (f32x4.mul (local.get $dhv) (local.get $z)))
                        (local.set $go (i32.add (local.get $go) (i32.const 16)))
                        (local.set $po (i32.add (local.get $po) (i32.const 16)))
                        (local.set $zo (i32.add (local.get $zo) (i32.const 16)))
                        (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                        (br $units_loop)))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $rows_loop)))
            ;; Through h_prev, r ⊙ h_prev and R: nothing at the first step, whose h_prev is the
            ;; constant zero (its r gradient and its share of dR are zero too).
            (if (i32.gt_u (local.get $s) (local.get $first))
              (then
                ;; d(r ⊙ h) = dh̃·R_hᵀ
                (call $matmul
                  (i32.add (local.get $dz) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gb) (i32.const 4)
                  (i32.add (local.get $rt) (i32.mul (i32.shl (local.get $units) (i32.const 1)) (local.get $ub)))
                  (local.get $ub)
                  (local.get $drh) (local.get $ub)
                  (local.get $rows) (local.get $units) (local.get $units) (i32.const 0))
                (local.set $b (i32.const 0))
                (block $resets_done
                  (loop $reset_rows
                    (br_if $resets_done (i32.ge_u (local.get $b) (local.get $rows)))
                    (if (call $real (local.get $mask) (local.get $b) (local.get $time) (local.get $t))
                      (then
                        (local.set $go
                          (i32.add (local.get $gates)
                            (i32.add (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))
                              (local.get $ub))))
                        (local.set $po
                          (i32.add (local.get $states)
                            (i32.add (i32.mul (local.get $s) (local.get $state_bytes)) (i32.mul (local.get $b) (local.get $ub)))))
                        (local.set $zo
                          (i32.add (local.get $dz) (i32.add (i32.mul (local.get $b) (local.get $gb)) (local.get $ub))))
                        (local.set $hb (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $ub))))
                        (local.set $eb (i32.add (local.get $drh) (i32.mul (local.get $b) (local.get $ub))))
                        (local.set $end (i32.add (local.get $hb) (local.get $ub)))
                        (block $units_done
                          (loop $units_loop
                            (br_if $units_done (i32.ge_u (local.get $hb) (local.get $end)))
                            (local.set $gate (v128.load (local.get $go)))
                            (local.set $d (v128.load (local.get $eb)))
                            ;; dz_r = d(r ⊙ h)·h_prev·r(1 − r); dh += d(r ⊙ h)·r
                            (v128.store (local.get $zo)
                              (call $flush
                                (f32x4.mul
                                  (f32x4.mul (f32x4.mul (local.get $d) (v128.load (local.get $po))) (local.get $gate))
                                  (f32x4.sub (local.get $one) (local.get $gate)))))
                            (v128.store (local.get $hb)
                              (f32x4.add (v128.load (local.get $hb)) (f32x4.mul (local.get $d) (local.get $gate))))
                            (local.set $go (i32.add (local.get $go) (i32.const 16)))
                            (local.set $po (i32.add (local.get $po) (i32.const 16)))
                            (local.set $zo (i32.add (local.get $zo) (i32.const 16)))
                            (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                            (local.set $eb (i32.add (local.get $eb) (i32.const 16)))
                            (br $units_loop)))))
                    (local.set $b (i32.add (local.get $b) (i32.const 1)))
                    (br $reset_rows)))
                ;; dh += dz_zr·R_zrᵀ; dR_zr += h_prevᵀ·dz_zr; dR_h += (r ⊙ h_prev)ᵀ·dh̃
                (call $matmul
                  (local.get $dz) (local.get $gb) (i32.const 4)
                  (local.get $rt) (local.get $ub)
                  (local.get $dh) (local.get $ub)
                  (local.get $rows) (i32.shl (local.get $units) (i32.const 1)) (local.get $units) (i32.const 1))
                (call $matmul
                  (i32.add (local.get $states) (i32.mul (local.get $s) (local.get $state_bytes)))
                  (i32.const 4) (local.get $ub)
                  (local.get $dz) (local.get $gb)
                  (local.get $dr) (local.get $gb)
                  (local.get $units) (local.get $rows) (i32.shl (local.get $units) (i32.const 1)) (i32.const 1))
                (call $matmul
                  (i32.add (local.get $resets) (i32.mul (local.get $s) (local.get $state_bytes)))
                  (i32.const 4) (local.get $ub)
                  (i32.add (local.get $dz) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gb)
                  (i32.add (local.get $dr) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gb)
                  (local.get $units) (local.get $rows) (local.get $units) (i32.const 1))))
            ;; The input's share: d input = dz·Wᵀ (zero where masked), dW += inputᵀ·dz, db += Σ dz.
            (call $matmul
              (local.get $dz) (local.get $gb) (i32.const 4)
              (local.get $wt) (local.get $fb)
              (i32.add (local.get $dinput) (i32.mul (local.get $t) (local.get $fb)))
              (i32.mul (local.get $time) (local.get $fb))
              (local.get $rows) (i32.mul (local.get $units) (i32.const 3)) (local.get $features)
              (i32.const 0))
            (call $matmul
              (i32.add (local.get $input) (i32.mul (local.get $t) (local.get $fb)))
              (i32.const 4) (i32.mul (local.get $time) (local.get $fb))
              (local.get $dz) (local.get $gb)
              (local.get $dw) (local.get $gb)
              (local.get $features) (local.get $rows) (i32.mul (local.get $units) (i32.const 3))
              (i32.const 1))
            (local.set $b (i32.const 0))
            (block $biases_done
              (loop $bias_rows
                (br_if $biases_done (i32.ge_u (local.get $b) (local.get $rows)))
                (call $add_into (local.get $db) (i32.add (local.get $dz) (i32.mul (local.get $b) (local.get $gb)))
                  (local.get $gb))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $bias_rows)))))
        (br $steps)))))
