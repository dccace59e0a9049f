;; The whole LSTM layer over a batch of sequences, forward and backward, in one call each (see
;; lstm.ts for the arithmetic and lstm-kernel.ts for the memory layout). Plain WebAssembly with
;; 128-bit SIMD, four floats a lane: per step the products x·W and h·R and the gates; backward their
;; gradients and those of W, R and the bias.
;;
;; Sizes are padded by the caller so that every loop runs whole lanes: `rows` (the batch) is a
;; multiple of 4, `units` and `features` multiples of 8; padded units have zero weights and stay
;; exactly zero, padded rows are masked. Every pointer is a byte offset into the imported memory; the
;; gate order in a row of 4·units floats is i, f, g (the candidate), o, as in TF.js's kernels.
;;
;; Rebuild lstm-wasm.ts from this file and recurrence-math.wat with `npm run build:wasm` (a test
;; checks that they agree).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; x·W + h·R + b for four units of one gate: the products at `rec`, the bias at `bias`.
  (func $preactivation (param $rec i32) (param $bias i32) (result v128)
    (f32x4.add (v128.load (local.get $rec)) (v128.load (local.get $bias))))

  ;; The four gates' lanes at `from` (`stride` bytes apart) added to those at `to`: the bias gradient.
  (func $add_gates (param $to i32) (param $from i32) (param $stride i32)
    (local $k i32)
    (block $done
      (loop $gate
        (br_if $done (i32.eq (local.get $k) (i32.const 4)))
        (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to)) (v128.load (local.get $from))))
        (local.set $to (i32.add (local.get $to) (local.get $stride)))
        (local.set $from (i32.add (local.get $from) (local.get $stride)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $gate))))

  ;; $exp, $sigmoid, $tanh, $flush and $matmul: recurrence-math.wat, spliced in by the build.

  ;; Runs the LSTM over every step of `x`, the layer's input `[rows, time, features]` (`features` a
  ;; multiple of 8), with kernel `w` `[features, 4·units]`, bias `bias` `[4·units]` and recurrent
  ;; kernel `r` `[units, 4·units]`, from the states at `h` and `c` (`[rows, units]`, zeros). `mask`
  ;; holds a byte per (row, time), non-zero where the step is real; `active` a byte per step read,
  ;; non-zero where any row is real (all-padding steps are skipped). `rec` is `[rows, 4·units]` of
  ;; scratch. Leaves the last states at `h` and `c`; with `sequences` the state after each step read
  ;; at `output + (row·time + s)·units`. With `keep`, the trace for lstm_backward: the activated
  ;; gates `[time, rows, 4·units]` at `gates`, and the cell and output states after each step read,
  ;; `[time + 1, rows, units]` at `cells` and `states` (slot 0: the initial zeros, written by the
  ;; caller), and tanh of each new cell state `[time, rows, units]` at `tanh`. Gates and tanh are
  ;; written only where a row is real at an active step: only those are read back.
  (func (export "lstm_forward")
    (param $x i32) (param $w i32) (param $features i32) (param $r i32) (param $bias i32)
    (param $mask i32) (param $active i32)
    (param $rows i32) (param $time i32) (param $units i32)
    (param $backwards i32) (param $sequences i32) (param $keep i32)
    (param $h i32) (param $c i32) (param $rec i32) (param $output i32)
    (param $gates i32) (param $cells i32) (param $tanh i32) (param $states i32)
    (local $s i32) (local $t i32) (local $b i32) (local $j i32) (local $started i32)
    (local $ub i32) (local $gb i32) (local $state_bytes i32)
    (local $ro i32) (local $go i32) (local $to i32) (local $hb i32) (local $cb i32)
    (local $bo i32) (local $fb i32)
    (local $gi v128) (local $gf v128) (local $gg v128) (local $go_ v128) (local $cell v128) (local $tc v128)
    (local.set $ub (i32.shl (local.get $units) (i32.const 2)))
    (local.set $fb (i32.shl (local.get $features) (i32.const 2)))
    (local.set $gb (i32.shl (local.get $ub) (i32.const 2)))
    (local.set $state_bytes (i32.mul (local.get $rows) (local.get $ub)))
    (block $steps_done
      (loop $steps
        (br_if $steps_done (i32.ge_u (local.get $s) (local.get $time)))
        (local.set $t
          (select (i32.sub (i32.sub (local.get $time) (i32.const 1)) (local.get $s)) (local.get $s)
            (local.get $backwards)))
        (if (i32.load8_u (i32.add (local.get $active) (local.get $s)))
          (then
            ;; rec = x·W + h·R for this step's rows; before the first real step h is zero.
            (call $matmul
              (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $fb)))
              (i32.mul (local.get $time) (local.get $fb)) (i32.const 4)
              (local.get $w) (local.get $gb)
              (local.get $rec) (local.get $gb) (local.get $rows) (local.get $features)
              (i32.shl (local.get $units) (i32.const 2)) (i32.const 0))
            (if (local.get $started)
              (then
                (call $matmul (local.get $h) (local.get $ub) (i32.const 4) (local.get $r) (local.get $gb)
                  (local.get $rec) (local.get $gb) (local.get $rows) (local.get $units)
                  (i32.shl (local.get $units) (i32.const 2)) (i32.const 1))))
            (local.set $started (i32.const 1))
            (local.set $b (i32.const 0))
            (block $rows_done
              (loop $rows_loop
                (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
                (local.set $hb (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $ub))))
                (if (i32.load8_u
                      (i32.add (local.get $mask) (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $t))))
                  (then
                    (local.set $ro (i32.add (local.get $rec) (i32.mul (local.get $b) (local.get $gb))))
                    (local.set $go
                      (i32.add (local.get $gates)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))))
                    (local.set $to
                      (i32.add (local.get $tanh)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $ub))))
                    (local.set $cb (i32.add (local.get $c) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $bo (local.get $bias))
                    (local.set $j (i32.const 0))
                    (block $units_done
                      (loop $units_loop
                        (br_if $units_done (i32.ge_u (local.get $j) (local.get $ub)))
                        (local.set $gi
                          (call $sigmoid (call $preactivation (local.get $ro) (local.get $bo))))
                        (local.set $gf
                          (call $sigmoid
                            (call $preactivation
                              (i32.add (local.get $ro) (local.get $ub))
                              (i32.add (local.get $bo) (local.get $ub)))))
                        (local.set $gg
                          (call $tanh
                            (call $preactivation
                              (i32.add (local.get $ro) (i32.shl (local.get $ub) (i32.const 1)))
                              (i32.add (local.get $bo) (i32.shl (local.get $ub) (i32.const 1))))))
                        (local.set $go_
                          (call $sigmoid
                            (call $preactivation
                              (i32.add (local.get $ro) (i32.mul (local.get $ub) (i32.const 3)))
                              (i32.add (local.get $bo) (i32.mul (local.get $ub) (i32.const 3))))))
                        (local.set $cell
                          (f32x4.add (f32x4.mul (local.get $gf) (v128.load (local.get $cb)))
                            (f32x4.mul (local.get $gi) (local.get $gg))))
                        (local.set $tc (call $tanh (local.get $cell)))
                        (if (local.get $keep)
                          (then
                            (v128.store (local.get $go) (local.get $gi))
                            (v128.store (i32.add (local.get $go) (local.get $ub)) (local.get $gf))
                            (v128.store (i32.add (local.get $go) (i32.shl (local.get $ub) (i32.const 1))) (local.get $gg))
                            (v128.store (i32.add (local.get $go) (i32.mul (local.get $ub) (i32.const 3))) (local.get $go_))
                            (v128.store (local.get $to) (local.get $tc))))
                        (v128.store (local.get $cb) (local.get $cell))
                        (v128.store (local.get $hb) (call $flush (f32x4.mul (local.get $go_) (local.get $tc))))
                        (local.set $ro (i32.add (local.get $ro) (i32.const 16)))
                        (local.set $bo (i32.add (local.get $bo) (i32.const 16)))
                        (local.set $go (i32.add (local.get $go) (i32.const 16)))
                        (local.set $to (i32.add (local.get $to) (i32.const 16)))
                        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
                        (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                        (local.set $j (i32.add (local.get $j) (i32.const 16)))
                        (br $units_loop)))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $rows_loop)))))
        (if (local.get $keep)
          (then
            (memory.copy
              (i32.add (local.get $cells)
                (i32.mul (i32.add (local.get $s) (i32.const 1)) (local.get $state_bytes)))
              (local.get $c) (local.get $state_bytes))
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

  ;; Back-propagates through lstm_forward's trace (`gates`, `cells`, `tanh`, `states`, `input`, same
  ;; sizes and flags): from the gradient of the output `dy` (the last state `[rows, units]`, or with
  ;; `sequences` every step's `[rows, time, units]`), step by step through the gates (dz, at `dx`,
  ;; `[rows, 4·units]` of scratch) to the gradient of the layer's `input` (`[rows, time, features]`,
  ;; `features` a multiple of 8) written at `dinput` (zeros, written by the caller, stay at skipped
  ;; steps), using `wt` = Wᵀ `[4·units, features]`. The gradients of W, of the recurrent kernel and
  ;; of the bias are added to `dw` `[features, 4·units]`, `dr` `[units, 4·units]` and `db`
  ;; `[4·units]` (zeros). `rt` is the recurrent kernel transposed, `[4·units, units]`; `dh` (`dy`'s
  ;; last state, or zeros with `sequences`) and `dc` (zeros) are `[rows, units]` of scratch.
  (func (export "lstm_backward")
    (param $dy i32) (param $rt i32) (param $mask i32) (param $active i32)
    (param $rows i32) (param $time i32) (param $units i32)
    (param $backwards i32) (param $sequences i32)
    (param $dh i32) (param $dc i32) (param $dx i32) (param $dr i32) (param $db i32)
    (param $gates i32) (param $cells i32) (param $tanh i32) (param $states i32)
    (param $input i32) (param $wt i32) (param $features i32) (param $dinput i32) (param $dw i32)
    (local $s i32) (local $t i32) (local $b i32) (local $j i32) (local $first i32)
    (local $ub i32) (local $gb i32) (local $fb i32) (local $end i32)
    (local $po i32) (local $go i32) (local $to i32) (local $co i32) (local $xo i32) (local $hb i32) (local $cb i32)
    (local $bo i32)
    (local $gi v128) (local $gf v128) (local $gg v128) (local $go_ v128) (local $tc v128)
    (local $dhv v128) (local $dcv v128) (local $one v128)
    (local.set $ub (i32.shl (local.get $units) (i32.const 2)))
    (local.set $gb (i32.shl (local.get $ub) (i32.const 2)))
    (local.set $fb (i32.shl (local.get $features) (i32.const 2)))
    (local.set $one (f32x4.splat (f32.const 1)))
    ;; The first step read that is real somewhere: the state entering it is the constant zero, so no
    ;; gradient flows back from it through R.
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
                (local.set $po
                  (i32.add (local.get $dy)
                    (i32.mul (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $s)) (local.get $ub))))
                (local.set $hb (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $ub))))
                (local.set $end (i32.add (local.get $hb) (local.get $ub)))
                (block $row_added
                  (loop $add_row
                    (br_if $row_added (i32.ge_u (local.get $hb) (local.get $end)))
                    (v128.store (local.get $hb)
                      (f32x4.add (v128.load (local.get $hb)) (v128.load (local.get $po))))
                    (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                    (local.set $po (i32.add (local.get $po) (i32.const 16)))
                    (br $add_row)))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $add)))))
        (if (i32.load8_u (i32.add (local.get $active) (local.get $s)))
          (then
            ;; dz of a masked row is zero.
            (memory.fill (local.get $dx) (i32.const 0) (i32.mul (local.get $rows) (local.get $gb)))
            (local.set $b (i32.const 0))
            (block $rows_done
              (loop $rows_loop
                (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
                ;; A masked row passes dh and dc through unchanged.
                (if (i32.load8_u
                      (i32.add (local.get $mask) (i32.add (i32.mul (local.get $b) (local.get $time)) (local.get $t))))
                  (then
                    (local.set $go
                      (i32.add (local.get $gates)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $gb))))
                    (local.set $to
                      (i32.add (local.get $tanh)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $ub))))
                    ;; The cell state entering the step: `cells` slot s.
                    (local.set $co
                      (i32.add (local.get $cells)
                        (i32.mul (i32.add (i32.mul (local.get $s) (local.get $rows)) (local.get $b)) (local.get $ub))))
                    (local.set $xo (i32.add (local.get $dx) (i32.mul (local.get $b) (local.get $gb))))
                    (local.set $hb (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $cb (i32.add (local.get $dc) (i32.mul (local.get $b) (local.get $ub))))
                    (local.set $bo (local.get $db))
                    (local.set $j (i32.const 0))
                    (block $units_done
                      (loop $units_loop
                        (br_if $units_done (i32.ge_u (local.get $j) (local.get $ub)))
                        (local.set $gi (v128.load (local.get $go)))
                        (local.set $gf (v128.load (i32.add (local.get $go) (local.get $ub))))
                        (local.set $gg (v128.load (i32.add (local.get $go) (i32.shl (local.get $ub) (i32.const 1)))))
                        (local.set $go_ (v128.load (i32.add (local.get $go) (i32.mul (local.get $ub) (i32.const 3)))))
                        (local.set $tc (v128.load (local.get $to)))
                        (local.set $dhv (v128.load (local.get $hb)))
                        ;; dc = dc + dh·o·(1 − tanh² c)
                        (local.set $dcv
                          (f32x4.add (v128.load (local.get $cb))
                            (f32x4.mul (f32x4.mul (local.get $dhv) (local.get $go_))
                              (f32x4.sub (local.get $one) (f32x4.mul (local.get $tc) (local.get $tc))))))
                        ;; di = dc·g·i(1 − i)
                        (v128.store (local.get $xo)
                          (call $flush
                            (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $gg)) (local.get $gi))
                              (f32x4.sub (local.get $one) (local.get $gi)))))
                        ;; df = dc·c_prev·f(1 − f)
                        (v128.store (i32.add (local.get $xo) (local.get $ub))
                          (call $flush
                            (f32x4.mul
                              (f32x4.mul (f32x4.mul (local.get $dcv) (v128.load (local.get $co))) (local.get $gf))
                              (f32x4.sub (local.get $one) (local.get $gf)))))
                        ;; dg = dc·i·(1 − g²)
                        (v128.store (i32.add (local.get $xo) (i32.shl (local.get $ub) (i32.const 1)))
                          (call $flush
                            (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $gi))
                              (f32x4.sub (local.get $one) (f32x4.mul (local.get $gg) (local.get $gg))))))
                        ;; do = dh·tanh c·o(1 − o)
                        (v128.store (i32.add (local.get $xo) (i32.mul (local.get $ub) (i32.const 3)))
                          (call $flush
                            (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dhv) (local.get $tc)) (local.get $go_))
                              (f32x4.sub (local.get $one) (local.get $go_)))))
                        (v128.store (local.get $cb) (f32x4.mul (local.get $dcv) (local.get $gf)))
                        (v128.store (local.get $hb) (v128.const i32x4 0 0 0 0))
                        (call $add_gates (local.get $bo) (local.get $xo) (local.get $ub))
                        (local.set $go (i32.add (local.get $go) (i32.const 16)))
                        (local.set $to (i32.add (local.get $to) (i32.const 16)))
                        (local.set $co (i32.add (local.get $co) (i32.const 16)))
                        (local.set $xo (i32.add (local.get $xo) (i32.const 16)))
                        (local.set $hb (i32.add (local.get $hb) (i32.const 16)))
                        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
                        (local.set $bo (i32.add (local.get $bo) (i32.const 16)))
                        (local.set $j (i32.add (local.get $j) (i32.const 16)))
                        (br $units_loop)))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $rows_loop)))
            ;; The input's share: d input = dz·Wᵀ (this step's rows; zero where masked) and
            ;; dW += inputᵀ·dz.
            (call $matmul
              (local.get $dx) (local.get $gb) (i32.const 4)
              (local.get $wt) (local.get $fb)
              (i32.add (local.get $dinput) (i32.mul (local.get $t) (local.get $fb)))
              (i32.mul (local.get $time) (local.get $fb))
              (local.get $rows) (i32.shl (local.get $units) (i32.const 2)) (local.get $features)
              (i32.const 0))
            (call $matmul
              (i32.add (local.get $input) (i32.mul (local.get $t) (local.get $fb)))
              (i32.const 4) (i32.mul (local.get $time) (local.get $fb))
              (local.get $dx) (local.get $gb)
              (local.get $dw) (local.get $gb)
              (local.get $features) (local.get $rows) (i32.shl (local.get $units) (i32.const 2))
              (i32.const 1))
            ;; dh += dz·Rᵀ and dR += h_prevᵀ·dz.
            ;; At the first step h_prev is the constant zero state: nothing flows into it, and its
            ;; share of dR is zero.
            (if (i32.gt_u (local.get $s) (local.get $first))
              (then
                (call $matmul
                  (local.get $dx) (local.get $gb) (i32.const 4)
                  (local.get $rt) (local.get $ub)
                  (local.get $dh) (local.get $ub)
                  (local.get $rows) (i32.shl (local.get $units) (i32.const 2)) (local.get $units)
                  (i32.const 1))
                (call $matmul
                  (i32.add (local.get $states) (i32.mul (local.get $s) (i32.mul (local.get $rows) (local.get $ub))))
                  (i32.const 4) (local.get $ub)
                  (local.get $dx) (local.get $gb)
                  (local.get $dr) (local.get $gb)
                  (local.get $units) (local.get $rows) (i32.shl (local.get $units) (i32.const 2))
                  (i32.const 1))))))
        (br $steps)))))
