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
# # 5. The whole CNN
#
# Now we stack the pieces: convolutions with ReLU find patterns, pooling shrinks the
# maps, Flatten and Dense decide which digit it is. Then we let training find the
# kernels and weights that we chose by hand so far.
#
# **After this notebook you can**
# - build the lesson's CNN and account for every one of its 93,322 parameters,
# - compile and train it, and read its training curves,
# - evaluate it on unseen digits, and see where it goes wrong.

# %% tags=["remove-cell"]
# In the browser (JupyterLite) this installs the lesson's package; elsewhere it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("lesson-utils")  # noqa: F704

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

import lesson_utils as lu

print(lu.describe())
lu.set_global_seed(42)  # the same seed gives the same run again

# %%
data = lu.load_mnist()

# %% [markdown]
# ## Build the network
#
# `build_cnn_model()` builds the architecture below, with the size of each layer's
# output for one digit. On the TensorFlow backend it is a `keras.Sequential` model; on
# the NumPy backend, a NumPy model with the same layers and the same methods.
#
# ```python
# keras.Sequential([
#     keras.Input(shape=(28, 28, 1)),
#     layers.Conv2D(32, (3, 3), activation="relu"),  # 26x26x32
#     layers.MaxPooling2D((2, 2)),                   # 13x13x32
#     layers.Conv2D(64, (3, 3), activation="relu"),  # 11x11x64
#     layers.MaxPooling2D((2, 2)),                   # 5x5x64
#     layers.Conv2D(64, (3, 3), activation="relu"),  # 3x3x64
#     layers.Flatten(),                              # 576
#     layers.Dense(64, activation="relu"),           # 64
#     layers.Dense(10, activation="softmax"),        # 10 probabilities
# ])
# ```

# %%
model = lu.build_cnn_model()
model.summary()

# %% [markdown]
# ## Where the 93,322 parameters are
#
# Every number in the summary's last column follows from notebooks 2 and 4:
# a convolution has `kh * kw * in_channels * filters + filters`, a Dense layer
# `inputs * units + units`, pooling and Flatten none.

# %% tags=["nbval-check-output"]
counts = {
    "conv2d    3*3*1*32 + 32": 3 * 3 * 1 * 32 + 32,
    "conv2d_1  3*3*32*64 + 64": 3 * 3 * 32 * 64 + 64,
    "conv2d_2  3*3*64*64 + 64": 3 * 3 * 64 * 64 + 64,
    "dense     576*64 + 64": 576 * 64 + 64,
    "dense_1   64*10 + 10": 64 * 10 + 10,
}
for formula, count in counts.items():
    print(f"{formula:28s} = {count:6,}")
print(f"{'total':28s} = {sum(counts.values()):6,}")
print("the model says:", f"{model.count_params():,}")

# %% [markdown]
# Most parameters sit in the second and third convolutions and the first Dense
# layer; the first convolution, which looks at the raw pixels, has only 320.
#
# ## Compile: how it will learn
#
# Compiling chooses the **optimizer** (Adam, which adapts each weight's step size), the
# **loss** (cross-entropy, from notebook 4) and the **metric** we watch (accuracy).
# The learning rate, 0.007, is the schedule's **peak**: the training section below
# raises the learning rate to it and lowers it again.

# %%
model = lu.compile_cnn_model(model, learning_rate=0.007)

# %% [markdown]
# ## Train
#
# Training shows the network the training images in batches of 128. After each batch,
# it nudges every weight to lower the loss on that batch: one **step**. One pass
# through all the images is an **epoch**; on the bundled sample we train for 5 (on a
# full set of 60,000 images, 2 are enough). We hold out the last 10% of the training
# images as a **validation** set: the network never trains on them, so they tell us
# how it does on digits it has not seen. The next cell counts the steps this makes.

# %%
train_images = len(data.x_train) - int(len(data.x_train) * 0.1)  # what validation_split=0.1 leaves
steps_per_epoch = math.ceil(train_images / 128)
epochs = lu.settings.default_epochs(train_images)
total_steps = epochs * steps_per_epoch
print(f"{train_images:,} training images: {steps_per_epoch} batches of 128 per epoch, "
      f"{epochs} epochs, {total_steps} steps")

# %% [markdown]
# The learning rate follows a **schedule**, drawn below for these steps: it
# rises from almost 0 to its peak, 0.007, over the first 10% of the steps
# (a **warm-up**), then falls along half a cosine to almost 0 at the last step.

# %% alt="A line rising straight from almost 0 to 0.007 over the first tenth of the training steps, then falling along a smooth S-shaped cosine curve to almost 0 at the last step; dotted vertical lines mark the ends of the epochs"
lu.plot_learning_rate_schedule(total_steps, peak=0.007, steps_per_epoch=steps_per_epoch);

# %% [markdown]
# *The learning rate at each step: the warm-up is the short straight rise at the left,
# the cosine the long fall to the right.*
#
# On Fashion-MNIST's 60,000 training images the schedule is worth about 1.4 points: 2
# epochs reach a median 90.0% test accuracy with it and 88.6% at a constant 0.007 (the
# Benchmarks page has the runs, and why a warm-up helps); pass
# `learning_rate_schedule="constant"` to `train_cnn_model` to train without it.
#
# While it trains, `lu.watch_it_learn` redraws one picture every 50 batches (and at
# batches 2, 4, 8, 16 and 32, where the kernels change fastest) and at the end of each
# epoch: the first layer's 32 kernels, their feature maps of one test digit, the loss
# and accuracy so far, and the learning rate. The kernels keep one colour scale for the
# whole run, so a kernel whose weights grow turns a deeper red and blue. Watch them
# move away from their random start, many growing a red side and a blue side: edge
# detectors.
#
# In the browser this cell trains on the NumPy backend. Measured in Chrome's engine (V8
# running the lesson's code in WebAssembly, as the browser does, on a 2-core machine),
# it took a median 34 s (33-39 s in 3 runs), and up to 53 s while other work kept both
# cores busy; the Benchmarks page says how. Before it starts, it prints its own
# estimate for the computer it runs on.

# %% alt="Watching the CNN learn, after the last batch: the first layer's 32 learned 3x3 kernels on a blue-white-red scale, their 32 feature maps of a test digit 9 after ReLU, white to red, the loss falling and the accuracy rising batch by batch, and the learning rate's warm-up and cosine fall"
history = lu.train_cnn_model(model, data.x_train, data.y_train, epochs=epochs, batch_size=128,
                             validation_split=0.1, verbose=2,
                             callbacks=[lu.watch_it_learn(model, data)])

# %% [markdown]
# *The picture the stored run left, after its last batch, the 145th (a quick run,
# `LESSON_QUICK=1`, trains 8 batches, and your numbers differ): the 32 kernels on the
# scale kept for the run, their feature maps of the first test digit (a 9) after ReLU,
# white at 0; in the stored run the training loss falls from 2.3 (a guess among ten
# digits) to under 0.1 and the accuracy rises to about 0.97 on the validation images;
# and the learning rate's warm-up to 0.007 over the first 14 batches, then its cosine
# fall. The training curves are averages over the batches of the epoch so far, so they
# jump when an epoch starts.*

# %% [markdown]
# ## Training curves
#
# Loss should fall and accuracy rise, for training and validation alike. If training
# accuracy kept rising while validation accuracy fell, the network would be
# memorising its training images (overfitting).

# %% alt="Two line charts over the epochs: on the left the loss falling for training and validation, on the right the accuracy rising for both"
lu.plot_training_curves(history);

# %% [markdown]
# *Loss (left) and accuracy (right) after each epoch, for the training images (circles)
# and the held-out validation images (squares). In the stored run's first three epochs
# the training accuracy is the lower one (63% against 89% in the first): it is averaged
# over each epoch's batches while the network is still improving, whereas the
# validation accuracy is measured at the epoch's end.*

# %% [markdown]
# ## Evaluate on the test set
#
# The test images were used for nothing so far. Their accuracy is the honest measure.

# %%
scores = lu.evaluate_cnn_model(model, data.x_test, data.y_test)
print(f"test accuracy: {scores['accuracy']:.2%}   test loss: {scores['loss']:.4f}")

# %% [markdown]
# ## Where it goes wrong
#
# The confusion matrix counts, for each true digit (row), which digit the network
# predicted (column). The diagonal holds the right answers; anything else is a mistake.

# %%
probabilities = np.asarray(model.predict(data.x_test, verbose=0))
predicted = probabilities.argmax(axis=1)

# %% alt="A 10 by 10 grid of counts, true digit by row and predicted digit by column, in shades of blue; the diagonal is dark with large counts and most other cells are empty"
lu.plot_confusion_matrix(data.y_test, predicted);

# %% [markdown]
# *In the stored run the diagonal holds 958 of the 1,000 test digits (95.8%); the 42
# mistakes are spread over many cells off the diagonal. Exercise 3 asks you to find
# your own run's commonest mistake in this figure.*
#
# How sure was the network when it was wrong? `probabilities` holds its ten
# probabilities for each test digit; these lines count its mistakes by how much
# probability it gave its wrong answer, and how often the true digit was its second
# choice.

# %%
wrong = np.flatnonzero(predicted != data.y_test)
top = probabilities[wrong].max(axis=1)
second = np.argsort(probabilities[wrong], axis=1)[:, -2]
print(f"{len(wrong)} mistakes among {len(data.y_test):,} test digits")
print(f"wrong answer given under 60%: {np.sum(top < 0.6)}, 60-90%: "
      f"{np.sum((top >= 0.6) & (top <= 0.9))}, over 90%: {np.sum(top > 0.9)}")
print(f"true digit the second choice: {np.sum(second == data.y_test[wrong])} of {len(wrong)}")

# %% [markdown]
# The first 15 mistakes, each titled with its true digit and the network's two most
# probable digits:

# %% alt="Fifteen misclassified handwritten digits, ink dark on white, in three rows of five, each titled with its true digit and the network's two most probable digits with their probabilities"
lu.plot_misclassified(data.x_test, data.y_test, predicted, n=15, columns=5,
                      probabilities=probabilities);

# %% [markdown]
# *In the stored run: some of these a person would read at once (the 5s in the first row,
# the bold 9 in the last), others are unusual (the 2 with a loop, the sideways 8). The
# network was often unsure when wrong: 13 of its 42 wrong answers got under 60%, and
# the true digit was its second choice in 31 of the 42 (10 of the 15 shown). But 9 of
# its mistakes got over 90%, such as the thin 9 read as 7 and the open 9 read as 0
# (92% each).*
#
# ## Why convolutions: a Dense network against the CNN
#
# Notebook 4 counted what sharing a kernel saves in parameters; this section measures
# what it buys in accuracy. `lu.build_dense_model()` is a network without convolutions
# of about the CNN's size: Flatten, Dense(128, relu) and Dense(10, softmax), or
# 784-128-10.

# %% tags=["nbval-check-output"]
dense_model = lu.compile_cnn_model(lu.build_dense_model())
print(f"Dense network: {dense_model.count_params():,} parameters | the CNN: "
      f"{model.count_params():,}")

# %% [markdown]
# We train it with the CNN's recipe: the same images, batches, epochs and schedule.

# %%
dense_history = lu.train_cnn_model(dense_model, data.x_train, data.y_train, epochs=epochs,
                                   batch_size=128, validation_split=0.1, verbose=2)

# %% [markdown]
# A fair test of what a network has learned about digits is to move them.
# `lu.measure.shift`, from notebook 3, moves images by whole pixels and fills the
# uncovered edge with background; a person still reads a digit moved by 3 pixels at a
# glance:

# %% alt="The same handwritten test digit four times, ink dark on white: as it is, then moved 1, 2 and 3 pixels to the right"
moved_digit = np.concatenate([lu.measure.shift(data.x_test[:1], right=pixels)
                              for pixels in range(4)])
lu.plot_digits(moved_digit, labels=range(4), columns=4,
               class_names=["as it is", "1 pixel", "2 pixels", "3 pixels"]);

# %% [markdown]
# *One test digit moved 0 to 3 pixels to the right: still plainly the same digit.*
#
# Now both networks read every test digit moved by 1, 2 and 3 pixels, up, down, left
# and right; each accuracy is the mean over the four directions. (The package has the
# same function as `lu.accuracy_moved`, which notebooks 7 and 8 use.)

# %%
def accuracy_moved(network, pixels):
    """Test accuracy with every digit moved `pixels` (mean over up, down, left, right)."""
    if pixels == 0:
        return lu.evaluate_cnn_model(network, data.x_test, data.y_test)["accuracy"]
    shift = lu.measure.shift
    moved = [shift(data.x_test, right=pixels), shift(data.x_test, right=-pixels),
             shift(data.x_test, down=pixels), shift(data.x_test, down=-pixels)]
    return float(np.mean([lu.evaluate_cnn_model(network, images, data.y_test)["accuracy"]
                          for images in moved]))


pixel_shifts = [0, 1, 2, 3]
moved_accuracy = {name: [accuracy_moved(network, pixels) for pixels in pixel_shifts]
                  for name, network in [("CNN", model), ("Dense", dense_model)]}
for pixels, cnn, dense in zip(pixel_shifts, *moved_accuracy.values(), strict=True):
    print(f"moved {pixels} pixel{'s' * (pixels != 1)}: CNN {cnn:.1%}, Dense network {dense:.1%}")

# %% alt="A line chart of test accuracy against the number of pixels the digits were moved, 0 to 3: the CNN's line starts higher and stays higher, from 95.8% to 62.0% at 3 pixels, while the Dense network's falls from 92.5% to 32.8%"
figure, ax = plt.subplots(figsize=(5.5, 3.5))
for name, style, label in [("CNN", "o-", "CNN"), ("Dense", "s--", "Dense network")]:
    ax.plot(pixel_shifts, moved_accuracy[name], style, label=label)
ax.set(xlabel="pixels moved (up, down, left or right)", ylabel="test accuracy",
       xticks=pixel_shifts, ylim=(0, 1))
ax.grid(alpha=0.3)
ax.legend();

# %% [markdown]
# *Test accuracy against how far the digits were moved. In the stored run the CNN goes
# from 95.8% to 93.9% at 1 pixel and 82.7% at 2, where the Dense network falls from
# 92.5% to 85.6% and 58.4%; at 3 pixels the CNN keeps 62.0%, the Dense network 32.8%.*
# Neither network ignores position: the CNN's Flatten and Dense layers still tie its
# answer to where its last maps light up. But its shared kernels find each stroke
# wherever it is, so its maps move with the digit instead of changing, and it loses
# far less. Each of the Dense network's weights belongs to one pixel: a stroke that
# moves meets other weights.

# %% [markdown]
# ## Summary
#
# - The CNN is Conv2D/MaxPooling2D twice, a third Conv2D, Flatten and two Dense layers:
#   93,322 parameters, most of them in the later layers.
# - Training adjusts them all, batch by batch, to lower the cross-entropy loss.
# - A few epochs reach a high test accuracy; the confusion matrix shows which digits
#   the network still mixes up, and the probabilities how unsure it was.
# - A Dense network of about the same size does worse, and much worse on digits moved
#   by a few pixels: the convolutions' shared kernels find a stroke wherever it is.

# %% [markdown]
# ## Exercises

# %%
from lesson_utils.checks import nb5 as check

# %% [markdown]
# ### Exercise 1: a Dense layer after a narrower convolution
#
# Suppose the third convolution had 16 filters instead of 64 (`filters=(32, 64, 16)`).
# How many parameters would the first Dense layer (64 units) then have? Work it out
# from the sizes first; `lu.build_cnn_model(filters=(32, 64, 16)).summary()` confirms.

# %% tags=["nbval-check-output"]
answer = ...
check.q1.check(answer)

# %% [markdown]
# ### Exercise 2: a CNN of your own
#
# Build a variant of the lesson's CNN with `lu.build_cnn_model(...)`: other `filters`
# such as `(16, 32)`, another `dense_units`, or a `kernel_size` of 5. (Three 5x5
# convolutions do not fit a 28x28 digit: 28 becomes 24, pooled 12, then 8, pooled 4,
# then nothing; `build_cnn_model` says so. With two, `filters=(32, 64), kernel_size=5`,
# it fits.) Before training it, guess whether it has more or fewer parameters than the
# lesson's 93,322, then print `variant.count_params()` and `variant.summary()`: where
# do its parameters sit? Then compile it and train it like the lesson's model, with
# `validation_split=0.1`, and keep what training returns as `variant_history`
# (`variant_history = lu.train_cnn_model(variant, ...)`): `history` holds the lesson's
# training, which the check compares with. It compares the two on the validation
# digits, not on the test digits, which we keep for the final verdict.

# %%
variant = ...  # build, compile and train it here: variant_history = lu.train_cnn_model(variant, ...)
check.q2.check(variant, data, history)

# %% [markdown]
# ### Exercise 3: read the confusion matrix
#
# Which mistake does your trained CNN make most often? Read it off the confusion matrix
# in "Where it goes wrong" and give it as `(true digit, predicted digit)`: `(4, 9)`
# would mean a 4 read as a 9. Where several cells share the largest count, any of them
# is right. The check counts the mistakes of your `model` on the test digits, as the
# figure does.

# %% tags=["nbval-check-output"]
answer = ...  # (true digit, predicted digit)
check.q3.check(answer, model, data)

# %% [markdown]
# Next: [6. Inside the trained CNN](06_inside_the_trained_cnn.ipynb).
