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
# # 6. Inside the trained CNN
#
# In notebook 2 we designed edge kernels by hand. A trained CNN designed its own. This
# notebook opens the trained network and looks at what it learned: the first layer's
# kernels, and one digit as it flows through every layer.
#
# **After this notebook you can**
# - read a trained layer's kernels from its weights,
# - get the feature maps of any layer, and say what changes from layer to layer,
# - find the filters and units that respond to no test digit (dead ReLUs), and tell them
#   from maps that are only blank for one digit.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package and the widgets'; elsewhere
# it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install(["lesson-utils", "ipywidgets", "anywidget"])  # noqa: F704

# %%
import matplotlib.pyplot as plt
import numpy as np

import lesson_utils as lu

print(lu.describe())
lu.set_global_seed(42)

# %% [markdown]
# We train the lesson's CNN as in notebook 5 (each notebook runs on its own).

# %%
data = lu.load_mnist()
model = lu.compile_cnn_model(lu.build_cnn_model())
history = lu.train_cnn_model(model, data.x_train, data.y_train, validation_split=0.1, verbose=2)
scores = lu.evaluate_cnn_model(model, data.x_test, data.y_test)
print(f"test accuracy: {scores['accuracy']:.2%}")

# %% [markdown]
# ## The learned kernels of the first layer
#
# The first layer's weights are its 32 kernels, in Keras's layout
# `(height, width, in_channels, filters)`; `get_weights()` lists each layer's kernel,
# then its bias.

# %% tags=["nbval-check-output"]
first_kernels, first_biases = model.get_weights()[:2]
print("kernels:", first_kernels.shape, "| biases:", first_biases.shape)

# %% alt="32 small 3x3 kernels in four rows of eight, numbered 0 to 31, each cell coloured from blue (negative weight) through white (0) to red (positive weight) on one shared scale with a colour bar"
lu.plot_kernels(first_kernels, names=range(32), columns=8);

# %% [markdown]
# *The 32 learned kernels of the first layer, numbered 0-31, on one colour scale: red
# weights add the pixel's ink, blue weights subtract it, white ones ignore it.* Many
# kernels have a red side and a blue side: edge detectors, like the ones we built by
# hand, at angles no one chose.
#
# The playground from notebooks 2 and 3 now offers these kernels too: pick
# "learned 0" to "learned 31" in its preset list (each comes with its learned bias) and
# see what each one makes of a digit of your choice, before and after ReLU. It starts
# with kernel 25, in the stored run one of the mostly blue kernels with a positive bias.
# Each training run learns its own kernels, so in yours kernel 25 may be of another
# kind: look through the list for one.

# %% alt="The kernel playground's picture with learned kernel 25 (bias 0.119) on a handwritten 0: on one blue-white-red scale, the feature map is pale red on the background and inside the loop and blue along the strokes; after ReLU the strokes are white and the background pale red; after pooling the same, coarser"
lu.kernel_playground(data, model=model, preset="learned 25")

# %% [markdown]
# *On the site, a still picture: learned kernel 25 on a 0 in the stored run. Its bias
# (+0.119) makes the background pale red, and its mostly blue weights turn the strokes
# blue; after ReLU the strokes are white (0). It responds where there is no ink. Run the
# notebook to try the other 31.*
#
# ## One digit through the network
#
# `lu.feature_maps(model, images, layer)` returns a layer's output for some images. We
# follow the first test digit:

# %% alt="One handwritten test digit, ink dark on white, titled with its label"
digit = data.x_test[:1]
lu.plot_digits(digit, data.y_test[:1], n=1);

# %% [markdown]
# *The digit we follow, titled with its true label.* The shape of each layer's output
# for it:

# %% tags=["nbval-check-output"]
for name in lu.layer_names(model):
    print(f"{name:16s} {lu.feature_maps(model, digit, name).shape}")

# %% [markdown]
# The first layer's 32 maps come next, numbered like the kernels above: map *i* is what
# kernel *i* (plus its bias, then ReLU) makes of the digit. After ReLU no value is
# negative, so the colour scale starts at 0 (white), shared by all 32 maps.

# %% alt="32 feature maps of 26x26 in four rows of eight, numbered 0 to 31, white where the value is 0 and deeper red for larger values on one shared scale; many show parts of the digit's strokes, some are almost blank"
first_maps = lu.feature_maps(model, digit, "conv2d")[0]
lu.plot_feature_maps(first_maps, n=32, columns=8,
                     title="conv2d: all 32 maps, 26x26, after ReLU");

# %% [markdown]
# *Map i comes from kernel i above. In the stored run the strongest responses to this 9
# are in maps 30, 12, 17, 4 and 28, whose kernels are mostly red. Maps 8, 13, 20 and 25
# are faintly red where there is no ink (25 the most: 0.12, on a scale up to 0.89):
# their kernels are mostly blue and their biases positive, so ink lowers their sum and
# background lets the bias through. Map 14 is blank: all 9 weights of kernel 14 are
# negative (some so close to 0 that they look white) and so is its bias, so ink can only
# lower a sum that starts below 0. Your run's kernels differ; the same reading applies.*
#
# Deeper layers take the previous layer's maps as their input channels. For each of the
# next four layers, its first 16 maps, each figure on its own shared scale:

# %% alt="Four grids of 16 feature maps each, for max_pooling2d (13x13), conv2d_1 (11x11), max_pooling2d_1 (5x5) and conv2d_2 (3x3), numbered by channel, white at 0 to red for larger values; the maps get smaller layer by layer and several are entirely white"
for name in ["max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2"]:
    maps = lu.feature_maps(model, digit, name)[0]
    lu.plot_feature_maps(maps, n=16, columns=8, title=f"{name}: maps 0-15 of "
                         f"{maps.shape[-1]}, {maps.shape[0]}x{maps.shape[1]}")
    plt.show()

# %% [markdown]
# *Layer by layer the maps shrink (13x13, 11x11, 5x5, 3x3). Each value of `conv2d_1`
# combines all 32 maps of the layer before over a 3x3 window, so it responds to a
# combination of strokes in a patch of the digit, and its maps look less like the
# digit. Several maps are entirely white, 0 for this digit; the next cell lists them.*

# %%
def silent(images, name):
    """The filters (channels) of layer `name` that output 0 for every one of the images."""
    outputs = lu.feature_maps(model, images, name)
    return np.flatnonzero(outputs.reshape(-1, outputs.shape[-1]).max(axis=0) == 0)


for name in ["conv2d_1", "conv2d_2"]:
    blank = silent(digit, name)
    print(f"{name}: {len(blank)} of 64 maps are 0 everywhere for this digit: {blank.tolist()}")

# %% [markdown]
# ## Dead ReLUs: filters that never respond
#
# Why is a map blank? Perhaps this digit lacks the pattern its filter looks for. But
# some filters output 0 for *every* digit: their weighted sum plus bias is negative
# everywhere, so ReLU turns it all to 0. Such a filter is **dead**. While it is 0 for
# every training digit, its weights get no gradient (ReLU's slope is 0 there), so it
# cannot learn its way back by itself. A dead filter of the first layer stays dead for
# good: its inputs are the pixels, which never change. A deeper filter's inputs are the
# maps of the layers below it, which keep changing as those layers learn, and that can
# lift its sum above 0 again.
#
# We have no list of every digit there is, so the next cell calls a filter (or a unit of
# the first Dense layer) dead when it outputs 0 for every one of the test digits; the
# last column says how many of those also output 0 for the first 1,000 training digits,
# the digits it learned from.

# %%
for name in ["conv2d", "conv2d_1", "conv2d_2", "dense"]:
    dead = silent(data.x_test, name)
    also_in_training = np.intersect1d(dead, silent(data.x_train[:1000], name))
    print(f"{name:9s} {len(dead):2d} output 0 for all {len(data.x_test):,} test digits: "
          f"{dead.tolist()}; {len(also_in_training)} of them for 1,000 training digits too")

# %% [markdown]
# In the stored run: 1 of the first layer's 32 filters (14, whose weights and bias are
# all negative), 9 of `conv2d_1`'s 64, 11 of `conv2d_2`'s 64 and 16 of the first Dense
# layer's 64 units output 0 for all 1,000 test digits, and each of them for the first
# 1,000 training digits too. So the maps that were blank for our 9 are of two kinds
# (compare the lists): of `conv2d_1`'s 11 blank maps, 9 belong to dead filters and 2
# (10 and 23) to filters that respond to other digits. (Exercise 1 asks the same of
# `conv2d_2`.) Dead filters and units change nothing in the network's answers, but they
# are parameters it carries and does not use: a quarter of the first Dense layer's units.

# %% [markdown]
# ## What deeper filters respond to
#
# A deeper filter's kernel has a slice for each of the 32 or 64 maps below it, too many
# to read as we read the first layer's. We can ask the digits instead. In notebook 3 we
# worked out each layer's receptive field, the square of input pixels one unit sees:
# 8x8 for `conv2d_1`, 18x18 for `conv2d_2`. `lu.top_patches` runs the test digits
# through the network, finds for each filter the digits whose map reaches the highest
# values (one unit per digit, where its map is largest) and cuts out that unit's
# receptive field. Below, a row per filter: the 6 digits that excite it most, its field
# outlined in orange (the ink outside faded), labelled with the filter's number and the
# range of those 6 values. Dead filters have no such digit and are skipped.

# %% alt="Eight rows of six handwritten test digits, ink dark on white, one row per filter of conv2d_1 (numbered, with the range of its six values), each digit with an 8x8 orange square round the patch that excites the filter most and the ink outside the square faded; the title names the dead filter that is skipped"
patches_1 = lu.top_patches(model, data.x_test, "conv2d_1", filters=range(16), k=6)
lu.plot_top_patches(patches_1, rows=8);

# %% [markdown]
# *In the stored run (the 1,000 test digits of the bundled sample), filter 4 of the first
# 16 is dead, and each of the 8 shown responds to one piece of stroke, the same in all
# six digits of its row, whatever the digit: filter 0 to a horizontal stroke with empty
# space below it (the bottom of two 6s, a 2, a 0 and a 5, and a 4's crossbar; values
# 1.04-1.08), filter 5 to one with empty space above it (the top of three 3s, two 7s and
# an 8), filters 1 and 7 to a corner where a stroke along the top turns down on the right
# (in 9s, 7s, 2s, 5s and a 3), filter 3 to a thick stroke rising to the right (the upper
# left of three 0s, and in an 8, a 5 and a 2), filter 8 to one falling to the right, filter 2 to the left side of a
# curve (in 9s, 0s and 4s). In 8x8 pixels: strokes with a direction, and corners, more
# than the first layer's edges of 3x3.*

# %% alt="Eight rows of six handwritten test digits, ink dark on white, one row per filter of conv2d_2 (numbered, with the range of its six values), each digit with an 18x18 orange square covering most of it and the ink outside faded; the title names the five dead filters that are skipped"
patches_2 = lu.top_patches(model, data.x_test, "conv2d_2", filters=range(16), k=6)
lu.plot_top_patches(patches_2, rows=8);

# %% [markdown]
# *In the stored run, filters 3, 4, 5, 6 and 10 of the first 16 are dead. An 18x18 field
# holds most of a digit, and the rows now hold larger shapes, often of one or two
# classes: filter 11's digits are five 0s and a 4, each a whole loop; filter 8 fires on
# a loop or on the open U of a 4 (three 0s, two 4s, a 9); filter 7, the strongest
# (5.03-5.31), on the top loop of a 9 and the upper half of a 3; filter 1 on the top bar of a
# 7 turning down (four 7s, a 2, a 9); filter 0 on a stroke curving round to the right
# (the bowls of 3s and 5s, and 2s); filter 9 on a long stroke slanting down to the left;
# filter 12 on a stroke down the left side (6s, 1s, a 0). This is what "edges into
# strokes, loops and corners" means: `conv2d_1`'s pieces of stroke, combined over a
# larger field. Your run's filters differ, and so do their numbers: look for the same
# kinds of piece in your figures.*

# %% [markdown]
# ## The network's answer
#
# The last layer's output is the ten probabilities:

# %%
probabilities = lu.feature_maps(model, digit, "dense_1")[0]
print("true label:", int(data.y_test[0]))
for digit_class in np.argsort(probabilities)[::-1][:3]:
    print(f"{digit_class}: {probabilities[digit_class]:.1%}")

# %% [markdown]
# In the stored run the network picks 9, the true label, but only just: it gives the 4
# two thirds as much (39.9% against 59.2%). Look at the digit again: it is slanted, its
# loop is narrow, and a short stroke pokes out to the right of the loop where a 4's
# crossbar would end. A 4 written with a closed top looks much like that. A near-tie is
# the network saying it is unsure between two readings; a person might hesitate over
# this 9 too. Your run may be surer or less sure: trained on the NumPy backend (as in
# the browser), the same CNN gave this 9 81.3% and the 4 17.8%. Its second choice was
# still the 4.
#
# ## Draw a digit for it
#
# Now write one yourself. Draw a digit on the pad with the mouse (or a finger; by
# keyboard, Tab to the pad, move the pen with the arrow keys and put it down or lift it
# with Space). Your
# drawing is prepared the way MNIST's digits were: fitted into a 20x20 box inside the
# 28x28 image, centred on its centre of mass, with ink scaled to [0, 1]. The network
# then shows its three most probable digits and what every layer makes of your drawing.
# The buttons **left**, **right**, **up** and **down** shift the 28x28 digit one pixel,
# **thicken** makes its strokes
# heavier: does the answer hold? Try a 4 with a closed top, or a 9 with a short tail.

# %% alt="The drawing pad's picture, shown with a test digit from the bundled sample, a 9: the 28x28 digit, bars of the ten class probabilities with 9 the highest and 4 second, then eight feature maps of each layer, white to red, and the hidden Dense layer's 64 units as one strip"
lu.draw_a_digit(model)

# %% [markdown]
# *On the site the pad cannot run, so this still picture shows what it would show for a
# test digit of the bundled sample: in the stored run the 9 followed above, again 59.2%
# for 9, 39.9% for 4 and 0.4% for 7. Below the bars, the first 8 maps of each layer (each
# row on its own scale, white at 0) and the 64 units of the hidden Dense layer.*

# %% [markdown]
# ## Summary
#
# - A trained first layer holds edge- and stroke-detecting kernels, learned from the data;
#   kernel *i* makes map *i*.
# - Layer by layer the maps shrink from 26x26 to 3x3 while their number grows from 32
#   to 64; each value of a deeper map summarises a larger patch of the digit (18x18 of
#   its 28x28 pixels for `conv2d_2`, notebook 3's receptive field).
# - Deeper filters respond to larger pieces of digit: the test-digit patches that excite
#   them most show pieces of stroke and corners in `conv2d_1`'s 8x8 fields, and loops and
#   bowls in `conv2d_2`'s 18x18 (`lu.top_patches`).
# - Some filters and units output 0 for every test digit (dead ReLUs): counted above, they
#   are parameters the network carries but does not use. A dead filter of the first
#   layer stays dead; a deeper one can come back as the layers below it change.
# - You have built every part of a CNN by hand, checked it against Keras, trained it,
#   and looked inside it. Notebook 7 makes it generalise.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb6 as check

# %% [markdown]
# ### Exercise 1: blank for this digit, or dead?
#
# A map that is blank for our 9 comes either from a dead filter or from a live one that
# this digit does not excite. Of `conv2d_2`'s maps that are 0 everywhere for our 9,
# which belong to filters that respond to some other test digit? Give their indices as a
# list, such as `answer = [2, 12]`. The lists printed above hold all you need, or use
# `silent(...)`. Your run's filters are its own, so the check asks your `model`.

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer, model, data)

# %% [markdown]
# ### Exercise 2: the same CNN on Fashion-MNIST
#
# Fashion-MNIST has the same shape as MNIST, 28x28 grey images in 10 classes, but shows
# clothes: T-shirts, trousers, sandals, bags... Load it with `lu.load_fashion_mnist()`,
# train the same CNN on it, and check it. Which classes does it confuse? (Try
# `lu.plot_confusion_matrix(..., class_names=fashion.class_names)`.)

# %%
fashion = ...  # lu.load_fashion_mnist()
fashion_model = ...  # build, compile and train a model on fashion.x_train, fashion.y_train
check.q2.check(fashion_model, fashion)

# %% [markdown]
# Next: [7. Making it generalise](07_making_it_generalise.ipynb).
