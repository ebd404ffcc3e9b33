;; Margin kernel: the raw margins of a forest, bit for bit as XGBoost's CPU predictor (float32 inputs,
;; `value < threshold` goes left, float32 sums in tree order). Memory image and glue: wasm-layout.ts and
;; wasm-kernel.ts; the design and its measurements: docs/adr/0008-simd-margin-kernel.md.
;;
;; Rows. Each input row (float32, NaN = missing) is expanded into two halves of $half bytes: the low half
;; holds NaN as -inf, which goes left at every split, the high half holds NaN as +inf, which goes right.
;; A split's slot points into the half of its default direction, so missing values cost no branch.
;;
;; Trees, two layouts (the tree table has 16 bytes a tree: first record, leaves, depth D, group offset
;; in the accumulators):
;; - complete: the tree padded to a complete binary tree of depth D, records of 8 bytes (slot byte
;;   offset, threshold f32) in heap order, then 2^D leaf values; node n's children are 2n+1 and 2n+2, so
;;   a step is `n = 2n + 1 + (x >= t)` with no child pointer to load. A leaf above depth D is copied to
;;   every leaf below it and the splits below it get a NaN threshold (`x >= NaN` is false: left).
;; - pointer: records of 16 bytes (slot byte offset, threshold, left child record index, leaf value),
;;   breadth first, children adjacent; a leaf loops to itself with a NaN threshold. For deep, sparse trees.
;;
;; Batches go 64 rows a block, four rows to a v128 of node indices: one tree at a time, level by level
;; over the whole block, so every step of the block is independent of the others. One row goes four
;; trees to a v128 instead.
(module
  (import "m" "mem" (memory 1))

  (global $trees (mut i32) (i32.const 0))      ;; tree table
  (global $treesEnd (mut i32) (i32.const 0))
  (global $quads (mut i32) (i32.const 0))      ;; one row: 64 bytes per four trees (first records, leaves, depths, max depth)
  (global $quadsEnd (mut i32) (i32.const 0))
  (global $pointer (mut i32) (i32.const 0))    ;; 1: pointer layout
  (global $inStride (mut i32) (i32.const 0))   ;; bytes per input row
  (global $half (mut i32) (i32.const 0))       ;; bytes per expanded half row, a multiple of 16
  (global $rows (mut i32) (i32.const 0))       ;; 64 expanded rows
  (global $idx (mut i32) (i32.const 0))        ;; 64 node indices
  (global $acc (mut i32) (i32.const 0))        ;; accumulators: group g, row r at g * 256 + r * 4
  (global $base (mut i32) (i32.const 0))       ;; base margin of each group (f32)
  (global $groups (mut i32) (i32.const 0))
  (global $leaves (mut i32) (i32.const 0))     ;; one row: the node index, then the leaf value, of each tree
  (global $rowDepth (mut i32) (i32.const 0))   ;; one row: the deepest tree's depth

  (func (export "init")
    (param $trees i32) (param $treesEnd i32) (param $quads i32) (param $quadsEnd i32) (param $pointer i32)
    (param $inStride i32) (param $half i32) (param $rows i32) (param $idx i32) (param $acc i32)
    (param $base i32) (param $groups i32) (param $leaves i32) (param $rowDepth i32)
    (global.set $trees (local.get $trees))
    (global.set $treesEnd (local.get $treesEnd))
    (global.set $quads (local.get $quads))
    (global.set $quadsEnd (local.get $quadsEnd))
    (global.set $pointer (local.get $pointer))
    (global.set $inStride (local.get $inStride))
    (global.set $half (local.get $half))
    (global.set $rows (local.get $rows))
    (global.set $idx (local.get $idx))
    (global.set $acc (local.get $acc))
    (global.set $base (local.get $base))
    (global.set $groups (local.get $groups))
    (global.set $leaves (local.get $leaves))
    (global.set $rowDepth (local.get $rowDepth)))

  ;; Expands $count input rows into $rows. Reads up to 12 bytes past the last row (the caller leaves room).
  (func $expand (param $in i32) (param $count i32)
    (local $end i32) (local $j i32) (local $half i32) (local $dst i32) (local $v v128) (local $nan v128)
    (local.set $half (global.get $half))
    (local.set $dst (global.get $rows))
    (local.set $end (i32.add (local.get $in) (i32.mul (local.get $count) (global.get $inStride))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $j (i32.const 0))
        (loop $four
          (local.set $v (v128.load (i32.add (local.get $in) (local.get $j))))
          (local.set $nan (f32x4.ne (local.get $v) (local.get $v)))
          (v128.store (i32.add (local.get $dst) (local.get $j))
            (v128.bitselect (v128.const f32x4 -inf -inf -inf -inf) (local.get $v) (local.get $nan)))
          (v128.store (i32.add (i32.add (local.get $dst) (local.get $half)) (local.get $j))
            (v128.bitselect (v128.const f32x4 inf inf inf inf) (local.get $v) (local.get $nan)))
          (br_if $four (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $half))))
        (local.set $in (i32.add (local.get $in) (global.get $inStride)))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $half) (i32.const 1))))
        (br $row))))

  ;; Sets rows [0, $count) of every group's accumulators to the group's base margin ($count a multiple of 4).
  (func $startAcc (param $count i32)
    (local $g i32) (local $a i32) (local $end i32) (local $v v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $g) (global.get $groups)))
        (local.set $v (v128.load32_splat (i32.add (global.get $base) (i32.shl (local.get $g) (i32.const 2)))))
        (local.set $a (i32.add (global.get $acc) (i32.shl (local.get $g) (i32.const 8))))
        (local.set $end (i32.add (local.get $a) (i32.shl (local.get $count) (i32.const 2))))
        (loop $four
          (v128.store (local.get $a) (local.get $v))
          (br_if $four (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 16))) (local.get $end))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group))))

  ;; Writes the margins of rows [0, $count) to $out as float64, row-major (row, group).
  (func $store (param $out i32) (param $count i32)
    (local $r i32) (local $g i32) (local $a i32)
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $a (i32.add (global.get $acc) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $g (i32.const 0))
        (loop $group
          (f64.store (local.get $out) (f64.promote_f32 (f32.load (local.get $a))))
          (local.set $out (i32.add (local.get $out) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 256)))
          (br_if $group (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 1))) (global.get $groups))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Complete layout: rows [0, $count) of the block through every tree ($count a multiple of 4, >= 4).
  (func $walkComplete (param $count i32)
    (local $t i32) (local $rec i32) (local $depth i32) (local $d i32) (local $p i32) (local $q i32) (local $end i32)
    (local $a i32) (local $e i32) (local $stride i32) (local $stride2 i32) (local $stride3 i32) (local $stride4 i32)
    (local $recs v128) (local $leafBase v128) (local $n v128) (local $at v128) (local $thr v128) (local $x v128) (local $leaf v128)
    (local.set $stride (i32.shl (global.get $half) (i32.const 1)))
    (local.set $stride2 (i32.shl (local.get $stride) (i32.const 1)))
    (local.set $stride3 (i32.add (local.get $stride2) (local.get $stride)))
    (local.set $stride4 (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $end (i32.add (global.get $idx) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $t (global.get $trees))
    (block $treesDone
      (loop $tree
        (br_if $treesDone (i32.ge_u (local.get $t) (global.get $treesEnd)))
        (local.set $rec (i32.load (local.get $t)))
        (local.set $recs (i32x4.splat (local.get $rec)))
        (local.set $leafBase (i32x4.splat (i32.load offset=4 (local.get $t))))
        (local.set $depth (i32.load offset=8 (local.get $t)))
        (local.set $a (i32.add (global.get $acc) (i32.load offset=12 (local.get $t))))
        (if (i32.eqz (local.get $depth))
          (then
            ;; A single leaf.
            (local.set $leaf (v128.load32_splat (i32.load offset=4 (local.get $t))))
            (local.set $p (global.get $idx))
            (loop $four
              (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $leaf)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end)))))
          (else
            ;; Level 0: every row at the root, one record for all.
            (local.set $thr (v128.load32_splat offset=4 (local.get $rec)))
            (local.set $q (i32.add (global.get $rows) (i32.load (local.get $rec))))
            (local.set $p (global.get $idx))
            (loop $four
              (local.set $x (v128.load32_lane 0 (local.get $q) (local.get $x)))
              (local.set $x (v128.load32_lane 1 (i32.add (local.get $q) (local.get $stride)) (local.get $x)))
              (local.set $x (v128.load32_lane 2 (i32.add (local.get $q) (local.get $stride2)) (local.get $x)))
              (local.set $x (v128.load32_lane 3 (i32.add (local.get $q) (local.get $stride3)) (local.get $x)))
              ;; f32x4.ge gives -1 where the row goes right: n = 1 - (-1) = 2.
              (v128.store (local.get $p) (i32x4.sub (v128.const i32x4 1 1 1 1) (f32x4.ge (local.get $x) (local.get $thr))))
              (local.set $q (i32.add (local.get $q) (local.get $stride4)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
            ;; Levels 1 to D - 1.
            (local.set $d (i32.const 1))
            (block $levelsDone
              (loop $level
                (br_if $levelsDone (i32.ge_u (local.get $d) (local.get $depth)))
                (local.set $p (global.get $idx))
                (local.set $q (global.get $rows))
                (loop $four
                  (local.set $n (v128.load (local.get $p)))
                  (local.set $at (i32x4.add (i32x4.shl (local.get $n) (i32.const 3)) (local.get $recs)))
                  (local.set $e (i32x4.extract_lane 0 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 0 (local.get $e) (local.get $thr)))
                  (local.set $x (v128.load32_lane 0 (i32.add (local.get $q) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 1 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 1 (local.get $e) (local.get $thr)))
                  (local.set $x (v128.load32_lane 1 (i32.add (i32.add (local.get $q) (local.get $stride)) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 2 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 2 (local.get $e) (local.get $thr)))
                  (local.set $x (v128.load32_lane 2 (i32.add (i32.add (local.get $q) (local.get $stride2)) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 3 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 3 (local.get $e) (local.get $thr)))
                  (local.set $x (v128.load32_lane 3 (i32.add (i32.add (local.get $q) (local.get $stride3)) (i32.load (local.get $e))) (local.get $x)))
                  ;; n = 2n + 1 + (x >= t)
                  (v128.store (local.get $p)
                    (i32x4.sub
                      (i32x4.add (i32x4.shl (local.get $n) (i32.const 1)) (v128.const i32x4 1 1 1 1))
                      (f32x4.ge (local.get $x) (local.get $thr))))
                  (local.set $q (i32.add (local.get $q) (local.get $stride4)))
                  (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $level)))
            ;; The leaves, added four rows at a time (the leaf base is already shifted by 2^D - 1 leaves).
            (local.set $p (global.get $idx))
            (loop $four
              (local.set $at (i32x4.add (i32x4.shl (v128.load (local.get $p)) (i32.const 2)) (local.get $leafBase)))
              (local.set $leaf (v128.load32_lane 0 (i32x4.extract_lane 0 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane 1 (i32x4.extract_lane 1 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane 2 (i32x4.extract_lane 2 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane 3 (i32x4.extract_lane 3 (local.get $at)) (local.get $leaf)))
              (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $leaf)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (br $tree))))

  ;; Pointer layout: as $walkComplete, the next node being the left child's record index + (x >= t).
  (func $walkPointer (param $count i32)
    (local $t i32) (local $rec i32) (local $depth i32) (local $d i32) (local $p i32) (local $q i32) (local $end i32)
    (local $a i32) (local $e i32) (local $stride i32) (local $stride2 i32) (local $stride3 i32) (local $stride4 i32)
    (local $n v128) (local $at v128) (local $thr v128) (local $x v128) (local $left v128) (local $leaf v128)
    (local.set $stride (i32.shl (global.get $half) (i32.const 1)))
    (local.set $stride2 (i32.shl (local.get $stride) (i32.const 1)))
    (local.set $stride3 (i32.add (local.get $stride2) (local.get $stride)))
    (local.set $stride4 (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $end (i32.add (global.get $idx) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $t (global.get $trees))
    (block $treesDone
      (loop $tree
        (br_if $treesDone (i32.ge_u (local.get $t) (global.get $treesEnd)))
        (local.set $rec (i32.load (local.get $t)))
        (local.set $depth (i32.load offset=8 (local.get $t)))
        (local.set $a (i32.add (global.get $acc) (i32.load offset=12 (local.get $t))))
        (if (i32.eqz (local.get $depth))
          (then
            (local.set $leaf (v128.load32_splat offset=12 (local.get $rec)))
            (local.set $p (global.get $idx))
            (loop $four
              (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $leaf)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end)))))
          (else
            (local.set $thr (v128.load32_splat offset=4 (local.get $rec)))
            (local.set $left (v128.load32_splat offset=8 (local.get $rec)))
            (local.set $q (i32.add (global.get $rows) (i32.load (local.get $rec))))
            (local.set $p (global.get $idx))
            (loop $four
              (local.set $x (v128.load32_lane 0 (local.get $q) (local.get $x)))
              (local.set $x (v128.load32_lane 1 (i32.add (local.get $q) (local.get $stride)) (local.get $x)))
              (local.set $x (v128.load32_lane 2 (i32.add (local.get $q) (local.get $stride2)) (local.get $x)))
              (local.set $x (v128.load32_lane 3 (i32.add (local.get $q) (local.get $stride3)) (local.get $x)))
              (v128.store (local.get $p) (i32x4.sub (local.get $left) (f32x4.ge (local.get $x) (local.get $thr))))
              (local.set $q (i32.add (local.get $q) (local.get $stride4)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
            (local.set $d (i32.const 1))
            (block $levelsDone
              (loop $level
                (br_if $levelsDone (i32.ge_u (local.get $d) (local.get $depth)))
                (local.set $p (global.get $idx))
                (local.set $q (global.get $rows))
                (loop $four
                  (local.set $at (i32x4.shl (v128.load (local.get $p)) (i32.const 4)))
                  (local.set $e (i32x4.extract_lane 0 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 0 (local.get $e) (local.get $thr)))
                  (local.set $left (v128.load32_lane offset=8 0 (local.get $e) (local.get $left)))
                  (local.set $x (v128.load32_lane 0 (i32.add (local.get $q) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 1 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 1 (local.get $e) (local.get $thr)))
                  (local.set $left (v128.load32_lane offset=8 1 (local.get $e) (local.get $left)))
                  (local.set $x (v128.load32_lane 1 (i32.add (i32.add (local.get $q) (local.get $stride)) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 2 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 2 (local.get $e) (local.get $thr)))
                  (local.set $left (v128.load32_lane offset=8 2 (local.get $e) (local.get $left)))
                  (local.set $x (v128.load32_lane 2 (i32.add (i32.add (local.get $q) (local.get $stride2)) (i32.load (local.get $e))) (local.get $x)))
                  (local.set $e (i32x4.extract_lane 3 (local.get $at)))
                  (local.set $thr (v128.load32_lane offset=4 3 (local.get $e) (local.get $thr)))
                  (local.set $left (v128.load32_lane offset=8 3 (local.get $e) (local.get $left)))
                  (local.set $x (v128.load32_lane 3 (i32.add (i32.add (local.get $q) (local.get $stride3)) (i32.load (local.get $e))) (local.get $x)))
                  (v128.store (local.get $p) (i32x4.sub (local.get $left) (f32x4.ge (local.get $x) (local.get $thr))))
                  (local.set $q (i32.add (local.get $q) (local.get $stride4)))
                  (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $level)))
            (local.set $p (global.get $idx))
            (loop $four
              (local.set $at (i32x4.shl (v128.load (local.get $p)) (i32.const 4)))
              (local.set $leaf (v128.load32_lane offset=12 0 (i32x4.extract_lane 0 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane offset=12 1 (i32x4.extract_lane 1 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane offset=12 2 (i32x4.extract_lane 2 (local.get $at)) (local.get $leaf)))
              (local.set $leaf (v128.load32_lane offset=12 3 (i32x4.extract_lane 3 (local.get $at)) (local.get $leaf)))
              (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $leaf)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (br_if $four (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (br $tree))))

  ;; Margins of $nRows rows at $in (float32, $inStride bytes apart) into $out (float64, row, group).
  (func (export "margins") (param $in i32) (param $nRows i32) (param $out i32)
    (local $count i32) (local $padded i32)
    (block $done
      (loop $block
        (br_if $done (i32.le_s (local.get $nRows) (i32.const 0)))
        (local.set $count (select (i32.const 64) (local.get $nRows) (i32.gt_s (local.get $nRows) (i32.const 64))))
        ;; Up to three padding rows ride along with the last block's stale rows; their results are not stored.
        (local.set $padded (i32.and (i32.add (local.get $count) (i32.const 3)) (i32.const -4)))
        (call $expand (local.get $in) (local.get $count))
        (call $startAcc (local.get $padded))
        (if (global.get $pointer)
          (then (call $walkPointer (local.get $padded)))
          (else (call $walkComplete (local.get $padded))))
        (call $store (local.get $out) (local.get $count))
        (local.set $in (i32.add (local.get $in) (i32.mul (local.get $count) (global.get $inStride))))
        (local.set $out (i32.add (local.get $out) (i32.shl (i32.mul (local.get $count) (global.get $groups)) (i32.const 3))))
        (local.set $nRows (i32.sub (local.get $nRows) (local.get $count)))
        (br $block))))

  ;; One row at $in: four trees to a v128, level by level over all the trees (so that the steps of a
  ;; level are independent of each other), each lane held at its leaf once its tree's depth is reached;
  ;; then each tree's leaf value, summed in tree order.
  (func (export "row") (param $in i32) (param $out i32)
    (local $quad i32) (local $node i32) (local $d i32) (local $e i32) (local $rows i32) (local $t i32) (local $a i32)
    (local $n v128) (local $next v128) (local $at v128) (local $thr v128) (local $x v128) (local $left v128) (local $leaf v128)
    (call $expand (local.get $in) (i32.const 1))
    (call $startAcc (i32.const 4))
    (local.set $rows (global.get $rows))
    ;; $leaves holds each quad's node indices, then its leaf values.
    (local.set $quad (global.get $quads))
    (local.set $node (global.get $leaves))
    (block $startDone
      (loop $start
        (br_if $startDone (i32.ge_u (local.get $quad) (global.get $quadsEnd)))
        ;; complete: n counts from 0 in each tree; pointer: n is the root's record index.
        (v128.store (local.get $node) (select (v128.load (local.get $quad)) (v128.const i32x4 0 0 0 0) (global.get $pointer)))
        (local.set $quad (i32.add (local.get $quad) (i32.const 64)))
        (local.set $node (i32.add (local.get $node) (i32.const 16)))
        (br $start)))
    (block $levelsDone
      (loop $level
        (br_if $levelsDone (i32.ge_u (local.get $d) (global.get $rowDepth)))
        (local.set $quad (global.get $quads))
        (local.set $node (global.get $leaves))
        (if (global.get $pointer)
          (then
            (block $quadsDone
              (loop $quadLoop
                (br_if $quadsDone (i32.ge_u (local.get $quad) (global.get $quadsEnd)))
                (if (i32.lt_u (local.get $d) (i32.load offset=48 (local.get $quad)))
                  (then
                    (local.set $n (v128.load (local.get $node)))
                    (local.set $at (i32x4.shl (local.get $n) (i32.const 4)))
                    (local.set $e (i32x4.extract_lane 0 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 0 (local.get $e) (local.get $thr)))
                    (local.set $left (v128.load32_lane offset=8 0 (local.get $e) (local.get $left)))
                    (local.set $x (v128.load32_lane 0 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 1 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 1 (local.get $e) (local.get $thr)))
                    (local.set $left (v128.load32_lane offset=8 1 (local.get $e) (local.get $left)))
                    (local.set $x (v128.load32_lane 1 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 2 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 2 (local.get $e) (local.get $thr)))
                    (local.set $left (v128.load32_lane offset=8 2 (local.get $e) (local.get $left)))
                    (local.set $x (v128.load32_lane 2 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 3 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 3 (local.get $e) (local.get $thr)))
                    (local.set $left (v128.load32_lane offset=8 3 (local.get $e) (local.get $left)))
                    (local.set $x (v128.load32_lane 3 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $next (i32x4.sub (local.get $left) (f32x4.ge (local.get $x) (local.get $thr))))
                    ;; Lanes whose tree is shallower than $d stay where they are.
                    (v128.store (local.get $node)
                      (v128.bitselect (local.get $next) (local.get $n)
                        (i32x4.gt_s (v128.load offset=32 (local.get $quad)) (i32x4.splat (local.get $d)))))))
                (local.set $quad (i32.add (local.get $quad) (i32.const 64)))
                (local.set $node (i32.add (local.get $node) (i32.const 16)))
                (br $quadLoop))))
          (else
            (block $quadsDone
              (loop $quadLoop
                (br_if $quadsDone (i32.ge_u (local.get $quad) (global.get $quadsEnd)))
                (if (i32.lt_u (local.get $d) (i32.load offset=48 (local.get $quad)))
                  (then
                    (local.set $n (v128.load (local.get $node)))
                    (local.set $at (i32x4.add (i32x4.shl (local.get $n) (i32.const 3)) (v128.load (local.get $quad))))
                    (local.set $e (i32x4.extract_lane 0 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 0 (local.get $e) (local.get $thr)))
                    (local.set $x (v128.load32_lane 0 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 1 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 1 (local.get $e) (local.get $thr)))
                    (local.set $x (v128.load32_lane 1 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 2 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 2 (local.get $e) (local.get $thr)))
                    (local.set $x (v128.load32_lane 2 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $e (i32x4.extract_lane 3 (local.get $at)))
                    (local.set $thr (v128.load32_lane offset=4 3 (local.get $e) (local.get $thr)))
                    (local.set $x (v128.load32_lane 3 (i32.add (local.get $rows) (i32.load (local.get $e))) (local.get $x)))
                    (local.set $next
                      (i32x4.sub
                        (i32x4.add (i32x4.shl (local.get $n) (i32.const 1)) (v128.const i32x4 1 1 1 1))
                        (f32x4.ge (local.get $x) (local.get $thr))))
                    (v128.store (local.get $node)
                      (v128.bitselect (local.get $next) (local.get $n)
                        (i32x4.gt_s (v128.load offset=32 (local.get $quad)) (i32x4.splat (local.get $d)))))))
                (local.set $quad (i32.add (local.get $quad) (i32.const 64)))
                (local.set $node (i32.add (local.get $node) (i32.const 16)))
                (br $quadLoop)))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br $level)))
    ;; Each quad's node indices become its leaf values.
    (local.set $quad (global.get $quads))
    (local.set $node (global.get $leaves))
    (block $leavesDone
      (loop $leaves
        (br_if $leavesDone (i32.ge_u (local.get $quad) (global.get $quadsEnd)))
        (if (global.get $pointer)
          (then (local.set $at (i32x4.add (i32x4.shl (v128.load (local.get $node)) (i32.const 4)) (v128.const i32x4 12 12 12 12))))
          (else (local.set $at (i32x4.add (i32x4.shl (v128.load (local.get $node)) (i32.const 2)) (v128.load offset=16 (local.get $quad))))))
        (local.set $leaf (v128.load32_lane 0 (i32x4.extract_lane 0 (local.get $at)) (local.get $leaf)))
        (local.set $leaf (v128.load32_lane 1 (i32x4.extract_lane 1 (local.get $at)) (local.get $leaf)))
        (local.set $leaf (v128.load32_lane 2 (i32x4.extract_lane 2 (local.get $at)) (local.get $leaf)))
        (local.set $leaf (v128.load32_lane 3 (i32x4.extract_lane 3 (local.get $at)) (local.get $leaf)))
        (v128.store (local.get $node) (local.get $leaf))
        (local.set $quad (i32.add (local.get $quad) (i32.const 64)))
        (local.set $node (i32.add (local.get $node) (i32.const 16)))
        (br $leaves)))
    ;; Sums in tree order, each tree into its group.
    (local.set $t (global.get $trees))
    (local.set $node (global.get $leaves))
    (block $sumDone
      (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $t) (global.get $treesEnd)))
        (local.set $a (i32.add (global.get $acc) (i32.load offset=12 (local.get $t))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (local.get $node))))
        (local.set $node (i32.add (local.get $node) (i32.const 4)))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (br $sum)))
    (call $store (local.get $out) (i32.const 1)))
)
