# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py//py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 8. Stride, colour and 1x1 convolutions
#
# The lesson's CNN used one kind of convolution: 3x3, stride 1, on one grey channel.
# Real networks turn three more knobs. A convolution can step 2 pixels at a time and
# shrink the map itself, without a pooling layer; it can read a colour picture's three
# channels; and with a 1x1 kernel it mixes channels without looking at neighbours.
#
# **After this notebook you can**
# - say what a stride-2 convolution keeps of a stride-1 one, and measure it against
#   max pooling in a trained network (parameters, work, accuracy, moved digits),
# - run a filter over a colour picture, one kernel slice per channel,
# - show that a 1x1 convolution is a Dense layer applied at every pixel.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package and the widgets'; elsewhere
# it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install(["lesson-utils", "ipywidgets", "anywidget"])  # noqa: F704

# %%
import time

import numpy as np

import lesson_utils as lu
from lesson_utils import numpy_layers
from lesson_utils.architecture import cnn_architecture

print(lu.describe())
lu.set_global_seed(42)
data = lu.load_mnist()

# %% [markdown]
# ## 1. Stride 2 instead of pooling
#
# With stride 2 the kernel skips every other position (notebook 2 drew the windows and
# computed the output size, floor((28 - 3) / 2) + 1 = 13). So a stride-2 convolution is
# a stride-1 convolution of which only every second row and column is kept. The
# vertical-edge kernel of notebook 2 on one test digit shows it:

# %% tags=["nbval-check-output"]
vertical_edge = np.array([[-1, 0, 1]] * 3, np.float32)[:, :, np.newaxis, np.newaxis]
digit = data.x_test[:1]
stride_1 = numpy_layers.relu(numpy_layers.conv2d(digit, vertical_edge))
stride_2 = numpy_layers.relu(numpy_layers.conv2d(digit, vertical_edge, stride=2))
pooled = numpy_layers.max_pool2d(stride_1, 2)
print("stride 1:", stride_1.shape[1:3], "| stride 2:", stride_2.shape[1:3],
      "| stride 1, then 2x2 max pooling:", pooled.shape[1:3])
print("stride 2 is every second row and column of stride 1:",
      np.array_equal(stride_2, stride_1[:, ::2, ::2]))

# %% [markdown]
# Both halve the map, but they keep different values. Pooling keeps the largest of each
# 2x2 square; the stride keeps the top-left one, whatever it is:

# %% alt="Three maps of one digit's left edges after ReLU on one white-to-red scale: the 26x26 stride-1 map, the 13x13 stride-2 map with gaps in its red lines, and the 13x13 max-pooled map whose red lines are unbroken"
lu.plot_maps([stride_1, stride_2, pooled],
             ["stride 1 (26x26)", "stride 2 (13x13)", "stride 1, then max pooling (13x13)"],
             label="response after ReLU");

# %% tags=["nbval-check-output"]
print(f"largest response: stride 1 {stride_1.max():.2f}, stride 2 {stride_2.max():.2f}, "
      f"pooled {pooled.max():.2f}")
print(f"total response: stride 1 {stride_1.sum():.1f}, stride 2 {stride_2.sum():.1f}, "
      f"pooled {pooled.sum():.1f}")

# %% [markdown]
# *The same left-edge map three ways, on one scale.* The stride keeps one position of
# every four, wherever the stroke is: a quarter of the total response (31.3 of 130.2),
# and its strongest value is 2.64, not 2.98, because the 2.98 sat at a position it
# skipped; its lines have gaps. Max pooling keeps the strongest value of each 2x2
# square, so every stroke survives, thicker (61.6 of the total, and the 2.98).
#
# In a network, though, the stride's convolution is trained: its kernel can learn to
# respond wherever the next layer needs it. `build_cnn_model(pooling="stride")` drops
# the two pooling layers and gives the convolutions before them `strides=2`. The two
# networks, layer by layer:

# %% tags=["nbval-check-output"]
def multiplications(layer):
    """Multiplications one image costs in a layer: each output of a Conv2D is a sum of
    kernel height x kernel width x input channels products, each of a Dense layer one
    product per input. Pooling and Flatten multiply nothing."""
    if layer.kind == "conv2d":
        size = layer.arguments["kernel_size"]
        return int(np.prod(layer.output_shape)) * size * size * layer.input_shape[-1]
    if layer.kind == "dense":
        return layer.input_shape[0] * layer.output_shape[0]
    return 0


for pooling in ["max", "stride"]:
    layers = cnn_architecture(pooling=pooling)
    print(f"pooling={pooling!r}: {sum(layer.params for layer in layers):,} parameters, "
          f"{sum(multiplications(layer) for layer in layers):,} multiplications per image")
    for layer in layers:
        print(f"    {layer.name:16s} {str(layer.output_shape):13s} {layer.params:>7,} parameters"
              f" {multiplications(layer):>10,} multiplications")

# %% [markdown]
# Without the pooling layers the last maps come out larger, 4x4 against 3x3 (the maps
# go 13, 6, 4 against 26, 13, 11, 5, 3), so Flatten gives 1,024 numbers instead of 576 and the first Dense layer
# has 65,600 parameters instead of 36,928: 121,994 in all, 31% more. The first two
# convolutions compute their outputs at about a quarter of the positions (13x13 instead
# of 26x26, 6x6 instead of 11x11), and `conv2d_1`, the costliest layer, falls from
# 2,230,272 multiplications to 663,552; `conv2d_2` works on larger maps and costs more
# (589,824 against 331,776). In all one image costs 1,368,224 multiplications instead of
# 2,794,240: 49%, about half.
#
# Now both are trained with the lesson's recipe on the same digits, and each reads the
# test digits as they are and moved 1 to 3 pixels, as in notebooks 5 and 7
# (`lu.accuracy_moved` is notebook 7's `accuracy_moved`). In the browser this is the
# notebook's longest cell.

# %%
def train(network):
    """Compile and train a network with the lesson's recipe; returns it and the seconds."""
    start = time.perf_counter()
    network = lu.compile_cnn_model(network)
    lu.train_cnn_model(network, data.x_train, data.y_train, validation_split=0.1, verbose=0)
    return network, time.perf_counter() - start


pixel_shifts = [0, 1, 2, 3]
print(f"{'':26s}{'seconds':>8s}" + "".join(f"{f'moved {p}':>9s}" for p in pixel_shifts))
for pooling in ["max", "stride"]:
    network, seconds = train(lu.build_cnn_model(pooling=pooling))
    accuracies = [lu.accuracy_moved(network, data.x_test, data.y_test, p) for p in pixel_shifts]
    print(f"{'pooling=' + repr(pooling):26s}{seconds:8.1f}"
          + "".join(f"{accuracy:9.1%}" for accuracy in accuracies))

# %% [markdown]
# In the stored run the two networks scored alike on the digits as they are (pooling
# 95.8%, strides 95.9%) and moved 1 pixel (93.9% and 93.4%), but the strided one lost
# more when the digits moved further: strides 78.7% against pooling 82.7% at 2 pixels,
# 54.0% against 62.0% at 3. Max pooling keeps the strongest response of each 2x2
# square wherever in it the stroke fell (notebook 3); the stride keeps one fixed
# position. On the NumPy backend the same cell gave pooling 96.6% and strides 96.8% on
# the digits as they are, pooling 58.0% and strides 52.8% at 3 pixels.
#
# The strided network also trains faster. In the stored run, on TensorFlow, it took
# 3.0 s against 4.2 s: 1.4 times faster, less than its halved multiplications would
# suggest. On the NumPy backend it took 2.1 s against 6.4 s, and in the browser's engine
# (V8 running the lesson's code in WebAssembly) 9.9 s against 24.5 s: 3 and 2.5 times
# faster (each the median of 3 runs of this cell's two trainings, on a 2-core machine).
# That is more than the halved multiplications: the NumPy code also has no pooling
# layers to run forwards and backwards, and its first layer gathers a quarter as many
# windows. In the browser this cell took 43 s in all. The seconds in your table are
# your machine's.
#
# ## 2. Colour: three input channels
#
# A colour picture stores three numbers per pixel: how much red, green and blue light
# it gives, each from 0 (none) to 1 (all). So its shape is (height, width, 3), and a
# filter over it has three kernel slices, one per channel, as each filter of the lesson's
# second convolution has 32 (notebook 2). White is all three lights at 1; black is all three at 0. The
# lesson draws its own small picture: five shapes of pure colours on white.

# %% alt="A 2x2 grid: a colour picture of five shapes on white (a red disc, a yellow square and a green disc above, a blue square and a black disc below), and its red, green and blue channels, each white where the channel is 0 and full colour where it is 1"
picture, centres = lu.colour_shapes()
print("picture:", picture.shape, "| one pixel of each shape (red, green, blue):")
for name, (row, column) in centres.items():
    print(f"    {name:7s} {picture[row, column]}")
lu.plot_colour_channels(picture);

# %% [markdown]
# *The picture and its three channels. The white background is 1 in every channel, so
# each channel's map is full colour everywhere but where a shape lacks that light: the
# red channel is 0 (white) at the green and blue shapes and at the black one; yellow,
# red and green light together, is 1 in the red and the green channel and 0 in the
# blue.*
#
# One 3x3 filter over the three channels, with the same slice for each: notebook 2's
# vertical-edge kernel divided by 3, so that one channel going from 0 to 1 across a
# window gives 1. Each slice finds the vertical edges of its own channel; added, they
# make one map of edges in any colour.

# %% alt="A grid of panels, one row per colour channel: the channel, its 3x3 kernel slice (a third of the vertical-edge kernel: -0.33 left, 0 middle, +0.33 right), the slice's result, and the three results added as one output map, on a shared blue-white-red scale"
edges_in_any_colour = np.repeat(vertical_edge[:, :, :, 0] / 3, 3, axis=2)  # (3, 3, 3)
lu.plot_filter_channels(picture, edges_in_any_colour);

# %% tags=["nbval-check-output"]
edges = numpy_layers.conv2d(picture[np.newaxis], edges_in_any_colour[..., np.newaxis])[0, :, :, 0]
for name, (row, column) in centres.items():
    left_edge = edges[row - 1, column - 10 : column].min()  # the shape's left side
    print(f"{name:7s} left edge {left_edge:5.2f}")

# %% [markdown]
# *One row per channel: each slice's result shows the vertical edges of its own channel,
# a shape's left side blue (below 0) and its right side red.* Here the background is 1
# in every channel, so at a shape's left side a channel falls from 1 to 0 going right:
# negative, the other way round from notebook 2's digits, whose ink is 1 on a
# background of 0. Added, a shape's edges are as strong as the number of
# channels that change there, as the numbers say: -3.00 at the black disc (all three
# channels fall), -2.00 at the red, green and blue shapes (two each), -1.00 at the
# yellow square (only blue falls). All the maps share one scale, up to 3, which is why
# the input channels, 0 to 1, look pale.
#
# ## 3. A 1x1 convolution is a Dense layer at every pixel
#
# A 1x1 kernel sees one pixel, but all its channels: each output is a weighted sum of
# that pixel's red, green and blue, plus a bias. That is a Dense layer with 3 inputs,
# applied to every pixel with the same weights. Two filters at once: one that asks
# "red, without green or blue?" and one that asks "red and green, without blue?"
# (yellow), each with ReLU after it.

# %% tags=["nbval-check-output"]
weights = np.array([[1.0, 1.0],    # red
                    [-1.0, 1.0],   # green
                    [-1.0, -1.0]], np.float32)  # blue; one column per filter
bias = np.array([0.0, -1.0], np.float32)
as_conv = numpy_layers.relu(numpy_layers.conv2d(picture[np.newaxis],
                                                weights.reshape(1, 1, 3, 2), bias))[0]
as_dense = numpy_layers.relu(picture.reshape(-1, 3) @ weights + bias).reshape(as_conv.shape)
print("1x1 kernel:", weights.reshape(1, 1, 3, 2).shape, "| output:", as_conv.shape)
print("the same as a Dense layer on each pixel:", np.allclose(as_conv, as_dense))
for name, (row, column) in centres.items():
    print(f"    {name:7s} red filter {as_conv[row, column, 0]:g}, "
          f"yellow filter {as_conv[row, column, 1]:g}")
print(f"    {'white':7s} red filter {as_conv[0, 0, 0]:g}, yellow filter {as_conv[0, 0, 1]:g}")

# %% [markdown]
# Keras's own `Dense` layer, given the same weights, acts on the last axis of any shape,
# so it computes the 1x1 convolution too (on the NumPy backend, its stand-in):

# %%
layers = lu.keras_layers()
dense = layers.Dense(2, activation="relu")
dense.build((None, *picture.shape))
dense.set_weights([weights, bias])
from_keras = np.asarray(dense(picture[np.newaxis]))[0]

# %% tags=["nbval-check-output"]
print(f"Keras's Dense on {picture[np.newaxis].shape}: {from_keras.shape}, the same as the "
      f"1x1 convolution: {np.allclose(from_keras, as_conv, atol=1e-6)}")

# %% alt="Two 40x60 maps on one white-to-red scale: the red filter's map is red only at the red disc; the yellow filter's map is red only at the yellow square"
lu.plot_maps([as_conv[:, :, 0], as_conv[:, :, 1]], ["filter 0: red?", "filter 1: yellow?"],
             label="output after ReLU");

# %% [markdown]
# *Each filter's output after ReLU: filter 0 is 1 on the red disc and 0 everywhere
# else; filter 1 is 1 on the yellow square and 0 everywhere else.* Filter 0 computes
# red - green - blue: 1 for red (1, 0, 0), 1 - 1 - 0 = 0 for yellow, 1 - 1 - 1 = -1
# for white, which ReLU turns to 0. Like a Dense layer, a 1x1 convolution can also
# change the number of channels: here 3 in, 2 out.
#
# Deep networks use 1x1 convolutions to change the number of channels cheaply, before
# a costlier 3x3 convolution. A 3x3 convolution from 64 channels to 64 has 36,928
# parameters; a 1x1 from 64 to 16 followed by a 3x3 from 16 back to 64 has 1,040 +
# 9,280 = 10,320, and 3.6 times fewer multiplications per pixel (10,240 against 36,864).
# GoogLeNet's blocks are built this way, and so are the deeper ResNets': a 1x1 from 256
# channels to 64, a 3x3 at 64, and a 1x1 back to 256.

# %% tags=["nbval-check-output"]
direct = 3 * 3 * 64 * 64  # multiplications per output pixel: one per weight
squeezed = 1 * 1 * 64 * 16 + 3 * 3 * 16 * 64
print(f"3x3, 64 -> 64 channels: {direct + 64:,} parameters, {direct:,} multiplications per pixel")
print(f"1x1, 64 -> 16, then 3x3, 16 -> 64: {1 * 1 * 64 * 16 + 16:,} + {3 * 3 * 16 * 64 + 64:,} = "
      f"{squeezed + 16 + 64:,} parameters, {squeezed:,} multiplications per pixel "
      f"({direct / squeezed:.1f} times fewer)")

# %% [markdown]
# ## Summary
#
# - A **stride-2 convolution** is a stride-1 convolution that keeps every second row
#   and column. Put in place of the pooling layers, it halved the multiplications per
#   image and scored as well on the digits as they are, but worse on digits moved 2 or
#   3 pixels (54.0% against 62.0% at 3 pixels in the stored run).
# - A **colour picture** has three channels, red, green and blue; a filter over it has
#   one kernel slice per channel, and their results are added.
# - A **1x1 convolution** is a Dense layer applied at every pixel with the same
#   weights: it mixes a pixel's channels and changes how many there are.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb8 as check

# %% [markdown]
# ### Exercise 1: predict, then run
#
# A 1x1 filter has the weights red 0, green 0, blue -1 and the bias +1, then ReLU.
# Which parts of the colour picture does it light up (output above 0)? The parts are
# named `"red"`, `"yellow"`, `"green"`, `"blue"`, `"black"` (the five shapes) and
# `"background"` (the white around them). Predict first, as a list such as
# `prediction = ["red", "background"]`; the check then computes the filter's output at
# each part, tells you, and shows you the whole output map.

# %% tags=["nbval-check-output"]
prediction = ...
check.q1.check(prediction)

# %% [markdown]
# ## Where next
#
# You have built a CNN from its parts, trained it, looked inside it, made it
# generalise, and met the other settings of its convolutions. The next steps, each
# with a place to learn it:
#
# - **Deeper networks**: LeNet, the first CNN for digits (two convolutions, average
#   pooling); VGG, which stacks many 3x3 convolutions; GoogLeNet, whose blocks use 1x1
#   convolutions, and global average pooling; ResNet, with batch normalisation after
#   every convolution, stride-2 convolutions and global average pooling:
#   [Dive into Deep Learning](https://d2l.ai), chapters 7
#   ([Convolutional Neural Networks](https://d2l.ai/chapter_convolutional-neural-networks/index.html))
#   and 8 ([Modern Convolutional Neural Networks](https://d2l.ai/chapter_convolutional-modern/index.html)).
# - **Transfer learning**: start from a network trained on a million photographs and
#   retrain its last layers for your own images: Kaggle Learn's
#   [Computer Vision](https://www.kaggle.com/learn/computer-vision) course, and
#   [Fine-Tuning](https://d2l.ai/chapter_computer-vision/fine-tuning.html) in Dive into
#   Deep Learning's chapter 14, next to its
#   [Image Augmentation](https://d2l.ai/chapter_computer-vision/image-augmentation.html).
# - **The same ideas in PyTorch**: chapter 13 of the fast.ai book,
#   [Convolutions](https://github.com/fastai/fastbook/blob/master/13_convolutions.ipynb),
#   trains a CNN on MNIST step by step and ends with batch normalisation.
# - **A CNN you can click through**: [CNN Explainer](https://poloclub.github.io/cnn-explainer/)
#   shows every kernel, map and activation of a small trained network in the browser.
