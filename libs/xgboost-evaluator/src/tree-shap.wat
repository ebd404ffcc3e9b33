;; Quadrature TreeSHAP: the contributions of a block of rows through a range of trees.
;; Tables and records come from tree-shap-layout.ts, which states the method; why it is WebAssembly:
;; docs/adr/0005-treeshap-quadrature-kernel.md. js-shap-kernel.ts does the same float32 operations in
;; the same order, so both engines give the same bits.
;;
;; Per tree directory entry (16 bytes): first record, end record, first table (absolute addresses).
;; Per internal node record (24 bytes): slot offset in the row, threshold (f32), parent node offset,
;; left child node offset (the right child follows at +16), live offset of the previous edge of the same
;; feature (or of a word that always holds 1), feature offset in the row's contributions.
;; Per internal node table (192 bytes a pass): R left, R right, G left, G right; each neutral, cold, hot.
(module
  (import "m" "mem" (memory 1))

  (func (export "explain")
    (param $dir i32) (param $treeBegin i32) (param $treeEnd i32)
    (param $rows i32) (param $rowCount i32) (param $rowStride i32)
    (param $phi i32) (param $phiStride i32)
    (param $passes i32) (param $passStride i32)
    (param $nodes i32) (param $live i32) (param $codes i32)
    (local $entry i32) (local $recBegin i32) (local $recEnd i32) (local $tabBegin i32)
    (local $r i32) (local $row i32) (local $phiRow i32) (local $pass i32)
    (local $rec i32) (local $tab i32) (local $code i32)
    (local $goRight i32) (local $follow i32) (local $left i32) (local $right i32) (local $at i32)
    (local $parent v128) (local $hl v128) (local $hr v128) (local $v v128)

    (local.set $entry (i32.add (local.get $dir) (i32.shl (local.get $treeBegin) (i32.const 4))))
    (block $treesDone
      (loop $trees
        (br_if $treesDone (i32.ge_s (local.get $treeBegin) (local.get $treeEnd)))
        (local.set $recBegin (i32.load (local.get $entry)))
        (local.set $recEnd (i32.load offset=4 (local.get $entry)))
        (local.set $tabBegin (i32.load offset=8 (local.get $entry)))
        (local.set $r (i32.const 0))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $r) (local.get $rowCount)))
            (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $rowStride))))
            (local.set $phiRow (i32.add (local.get $phi) (i32.mul (local.get $r) (local.get $phiStride))))
            (local.set $pass (i32.const 0))
            (block $passesDone
              (loop $passLoop
                (br_if $passesDone (i32.ge_s (local.get $pass) (local.get $passes)))

                ;; Forward, parents first: C(child) = C(parent) · R[case]. At a leaf the table already
                ;; holds v·W, so its slot ends up with the leaf's H.
                (v128.store (local.get $nodes) (v128.const f32x4 1 1 1 1))
                (local.set $rec (local.get $recBegin))
                (local.set $tab (i32.add (local.get $tabBegin) (i32.mul (local.get $pass) (local.get $passStride))))
                (local.set $code (local.get $codes))
                (block $forwardDone
                  (loop $forward
                    (br_if $forwardDone (i32.ge_u (local.get $rec) (local.get $recEnd)))
                    ;; Missing values were expanded to -Infinity or +Infinity, so this never branches.
                    (local.set $goRight
                      (f32.ge
                        (f32.load (i32.add (local.get $row) (i32.load (local.get $rec))))
                        (f32.load offset=4 (local.get $rec))))
                    (local.set $follow (i32.load (i32.add (local.get $live) (i32.load offset=16 (local.get $rec)))))
                    ;; case: 0 neutral (an earlier edge of this feature was not followed), 1 cold, 2 hot
                    (local.set $left
                      (i32.shl (i32.mul (local.get $follow) (i32.sub (i32.const 2) (local.get $goRight))) (i32.const 4)))
                    (local.set $right
                      (i32.shl (i32.mul (local.get $follow) (i32.add (i32.const 1) (local.get $goRight))) (i32.const 4)))
                    (local.set $parent (v128.load (i32.add (local.get $nodes) (i32.load offset=8 (local.get $rec)))))
                    (local.set $at (i32.add (local.get $nodes) (i32.load offset=12 (local.get $rec))))
                    (v128.store (local.get $at)
                      (f32x4.mul (local.get $parent) (v128.load (i32.add (local.get $tab) (local.get $left)))))
                    (v128.store offset=16 (local.get $at)
                      (f32x4.mul (local.get $parent) (v128.load offset=48 (i32.add (local.get $tab) (local.get $right)))))
                    (local.set $at
                      (i32.add (local.get $live) (i32.shr_u (i32.load offset=12 (local.get $rec)) (i32.const 2))))
                    (i32.store (local.get $at) (i32.and (local.get $follow) (i32.xor (local.get $goRight) (i32.const 1))))
                    (i32.store offset=4 (local.get $at) (i32.and (local.get $follow) (local.get $goRight)))
                    (i32.store (local.get $code) (i32.or (local.get $left) (i32.shl (local.get $right) (i32.const 8))))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 24)))
                    (local.set $tab (i32.add (local.get $tab) (i32.const 192)))
                    (local.set $code (i32.add (local.get $code) (i32.const 4)))
                    (br $forward)))

                ;; Backward, children first: H(parent) = H(left) + H(right), and the split's feature gains
                ;; H(left)·G[case] + H(right)·G[case], its four lanes added in float64.
                (block $backwardDone
                  (loop $backward
                    (br_if $backwardDone (i32.le_u (local.get $rec) (local.get $recBegin)))
                    (local.set $rec (i32.sub (local.get $rec) (i32.const 24)))
                    (local.set $tab (i32.sub (local.get $tab) (i32.const 192)))
                    (local.set $code (i32.sub (local.get $code) (i32.const 4)))
                    (local.set $at (i32.add (local.get $nodes) (i32.load offset=12 (local.get $rec))))
                    (local.set $hl (v128.load (local.get $at)))
                    (local.set $hr (v128.load offset=16 (local.get $at)))
                    (v128.store
                      (i32.add (local.get $nodes) (i32.load offset=8 (local.get $rec)))
                      (f32x4.add (local.get $hl) (local.get $hr)))
                    (local.set $left (i32.and (i32.load (local.get $code)) (i32.const 255)))
                    (local.set $right (i32.shr_u (i32.load (local.get $code)) (i32.const 8)))
                    (local.set $v
                      (f32x4.add
                        (f32x4.mul (local.get $hl) (v128.load offset=96 (i32.add (local.get $tab) (local.get $left))))
                        (f32x4.mul (local.get $hr) (v128.load offset=144 (i32.add (local.get $tab) (local.get $right))))))
                    (local.set $at (i32.add (local.get $phiRow) (i32.load offset=20 (local.get $rec))))
                    (v128.store (local.get $at)
                      (f64x2.add
                        (v128.load (local.get $at))
                        (f64x2.add
                          (f64x2.promote_low_f32x4 (local.get $v))
                          (f64x2.promote_low_f32x4
                            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))))
                    (br $backward)))

                (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
                (br $passLoop)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rowLoop)))
        (local.set $treeBegin (i32.add (local.get $treeBegin) (i32.const 1)))
        (local.set $entry (i32.add (local.get $entry) (i32.const 16)))
        (br $trees)))))
