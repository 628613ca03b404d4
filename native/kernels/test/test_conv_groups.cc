// Grouped and depthwise convolutions against the double-precision reference
// (test_conv_support.h) on awkward shapes, every ISA, 1 and 2 threads: the
// im2col + GEMM products per group, Winograd per group, and the direct
// depthwise kernels for every stride, padding, dilation and multiplier.
#include "conv/conv2d_chunks.h"
#include "conv/depthwise.h"
#include "conv/winograd.h"
#include "test_conv_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace conv_test;

TEST(conv2d_groups_divide_both_channel_counts) {
  Conv2dGeometry g = make(1, 6, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2);
  CHECK(conv2d_geometry_resolve(g) && g.group_channels() == 3 && g.group_outputs() == 2 && g.group_patch() == 27);
  CHECK(g.weight_size() == 4 * 3 * 9) << g.weight_size();
  g.groups = 4;  // divides o, not c
  CHECK(!conv2d_geometry_resolve(g));
  g.groups = 3;  // divides c, not o
  CHECK(!conv2d_geometry_resolve(g));
  g.groups = 0;
  CHECK(!conv2d_geometry_resolve(g));
}

TEST(conv2d_grouped_awkward_shapes) {
  uint64_t seed = 300;
  //               n  c   h   w   o  kh kw sh sw ph pw dh dw groups
  check_shape(make(2, 4, 7, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2), seed++);     // 2 groups, 2 → 3 channels each
  check_shape(make(3, 9, 11, 13, 6, 3, 2, 2, 1, 1, 0, 1, 2, 3), seed++);   // 3 groups, stride, dilation, primes
  check_shape(make(2, 6, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3), seed++);     // one output channel per group
  check_shape(make(3, 8, 5, 6, 12, 1, 1, 1, 1, 0, 0, 1, 1, 4), seed++);    // pointwise, 4 groups
  check_shape(make(2, 6, 7, 9, 4, 1, 1, 2, 2, 0, 0, 1, 1, 2), seed++);     // 1×1 stride 2
  check_shape(make(1, 10, 13, 11, 15, 5, 3, 2, 1, 2, 1, 1, 1, 5), seed++); // batch 1, 5 groups
  check_shape(make(0, 4, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2), seed++);     // empty batch: gw = 0
  check_shape(make(2, 3, 6, 6, 6, 2, 2, 1, 1, 0, 0, 1, 1, 3), seed++);     // c = groups, multiplier 2 (depthwise)
}

TEST(conv2d_grouped_winograd_runs_each_group_in_place) {
  // 8 and 16 channels per group: Winograd, group by group, reading and
  // writing the groups' channels inside the whole tensors.
  Conv2dGeometry g = make(3, 16, 7, 9, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2);
  CHECK(conv2d_geometry_resolve(g) && winograd_applicable(g));
  check_shape(g, 320);
  Conv2dGeometry four = make(2, 32, 6, 5, 32, 3, 3, 1, 1, 1, 1, 1, 1, 4);
  CHECK(conv2d_geometry_resolve(four) && winograd_applicable(four));
  check_shape(four, 321);
  // 4 channels per group are too few: im2col.
  Conv2dGeometry few = make(2, 16, 6, 6, 16, 3, 3, 1, 1, 1, 1, 1, 1, 4);
  CHECK(conv2d_geometry_resolve(few) && !winograd_applicable(few));
  check_shape(few, 322);
}

TEST(conv2d_grouped_chunks_side_by_side_and_tiles) {
  // Small planes: images side by side in one column matrix, groups' rows in blocks.
  Conv2dGeometry s = make(9, 64, 14, 14, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2);
  CHECK(conv2d_geometry_resolve(s) && conv_chunking(s).side_by_side);
  check_shape(s, 330);
  // One image larger than the column budget: pixel tiles.
  Conv2dGeometry t = make(2, 16, 90, 90, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2);
  CHECK(conv2d_geometry_resolve(t) && conv_chunking(t).tile < t.output_plane());
  check_shape(t, 331);
}

TEST(depthwise_is_chosen_for_one_input_channel_per_group) {
  auto resolved = [](Conv2dGeometry g) {
    CHECK(conv2d_geometry_resolve(g));
    return g;
  };
  CHECK(depthwise_applicable(resolved(make(1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8))));
  CHECK(depthwise_applicable(resolved(make(1, 8, 5, 5, 24, 3, 3, 1, 1, 1, 1, 1, 1, 8))));  // multiplier 3
  CHECK(!depthwise_applicable(resolved(make(1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4))));  // 2 channels per group
  // groups = 1 keeps its paths, even with one input channel.
  CHECK(!depthwise_applicable(resolved(make(1, 1, 5, 5, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1))));
}

TEST(depthwise_awkward_shapes) {
  uint64_t seed = 400;
  //               n  c   h   w   o  kh kw sh sw ph pw dh dw groups
  check_shape(make(2, 5, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5), seed++);      // multiplier 1, 3×3 pad 1
  check_shape(make(2, 3, 8, 17, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3), seed++);      // multiplier 2
  check_shape(make(3, 4, 13, 15, 12, 3, 3, 2, 2, 1, 1, 1, 1, 4), seed++);    // multiplier 3, stride 2
  check_shape(make(1, 2, 7, 33, 2, 3, 3, 2, 2, 0, 0, 1, 1, 2), seed++);      // stride 2, no padding, odd sides
  check_shape(make(2, 3, 12, 10, 3, 3, 3, 1, 1, 2, 2, 2, 2, 3), seed++);     // dilation 2
  check_shape(make(2, 3, 11, 19, 6, 5, 3, 2, 3, 2, 0, 1, 2, 3), seed++);     // 5×3, strides 2 and 3, dilation
  check_shape(make(1, 2, 17, 16, 4, 3, 3, 3, 3, 2, 1, 3, 3, 2), seed++);     // stride 3 with dilation 3
  check_shape(make(2, 4, 5, 7, 8, 1, 1, 1, 1, 0, 0, 1, 1, 4), seed++);       // 1×1 kernel
  check_shape(make(2, 3, 5, 6, 3, 1, 1, 2, 3, 1, 2, 1, 1, 3), seed++);       // 1×1, strides, padding
  check_shape(make(1, 2, 3, 4, 2, 2, 2, 1, 1, 3, 4, 1, 1, 2), seed++);       // padding larger than the kernel
  check_shape(make(3, 2, 1, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2), seed++);       // 1×1 images
  check_shape(make(1, 2, 3, 61, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2), seed++);      // long rows, a tail past 16
  check_shape(make(2, 8, 12, 56, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8), seed++);     // the benchmark's rows
  check_shape(make(1, 2, 9, 20, 2, 7, 7, 1, 1, 3, 3, 1, 1, 2), seed++);      // 49 taps: dot products in chunks
  check_shape(make(5, 2, 6, 7, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2), seed++);      // few channels: batch slices
  check_shape(make(13, 7, 5, 3, 7, 2, 3, 1, 2, 0, 1, 1, 1, 7), seed++);      // primes, even kernel
  check_shape(make(0, 3, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3), seed++);       // empty batch
  check_shape(make(1, 3, 9, 9, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3), seed++);       // batch 1
}

TEST(depthwise_output_cropped_below_its_full_extent) {
  // Transposed convolutions crop their convolution's output; the direct
  // kernels compute only the rows and columns kept.
  Conv2dGeometry g = make(2, 3, 9, 10, 6, 3, 3, 1, 1, 1, 1, 2, 2, 3);
  CHECK(conv2d_geometry_crop(g, 4, 5) && g.oh == 4 && g.ow == 5);
  check_conv2d(g, 450);
  Conv2dGeometry s = make(1, 2, 11, 13, 2, 3, 3, 2, 2, 1, 1, 1, 1, 2);
  CHECK(conv2d_geometry_crop(s, 5, 6));
  check_conv2d(s, 451);
}
