"""Python onnxruntime against Polarity on the same texts: an exported model scored outside Node.

    polarity export --model DIR --format onnx --out model.onnx
    polarity predict --model DIR --input texts.jsonl --output polarity.jsonl
    python3 bench/onnx_python_parity.py model.onnx texts.jsonl polarity.jsonl [--every 5]

texts.jsonl holds one {"text": ...} per line, polarity.jsonl what `polarity predict` wrote for it.
Scores every `--every`-th text (all by default) in batches of 64 through the graph's `text` input and
prints, as one JSON object, onnxruntime's version, the texts scored, how many labels equal
Polarity's, and the largest difference of any probability. Needs the `onnxruntime` and `numpy`
Python packages; the product does not.
"""

import argparse
import json

import numpy as np
import onnxruntime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("texts")
    parser.add_argument("predictions")
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()

    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    with open(args.predictions, encoding="utf-8") as f:
        predictions = [json.loads(line) for line in f if line.strip()]
    if len(texts) != len(predictions):
        raise SystemExit(f"{len(texts)} texts but {len(predictions)} predictions")
    chosen = list(range(0, len(texts), args.every))

    session = onnxruntime.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    labels = json.loads(session.get_modelmeta().custom_metadata_map["polarity.labels"])
    equal = 0
    largest = 0.0
    for start in range(0, len(chosen), 64):
        batch = chosen[start : start + 64]
        probabilities, label = session.run(
            ["probabilities", "label"], {"text": np.array([texts[i] for i in batch], dtype=object)}
        )
        for row, i in enumerate(batch):
            expected = predictions[i]
            equal += label[row] == expected["label"]
            for column, name in enumerate(labels):
                largest = max(largest, abs(float(probabilities[row, column]) - expected["scores"][name]))
    print(
        json.dumps(
            {
                "onnxruntime": onnxruntime.__version__,
                "model": args.model.rsplit("/", 1)[-1],
                "texts": len(chosen),
                "equalLabels": int(equal),
                "maxProbabilityDiff": largest,
            }
        )
    )


if __name__ == "__main__":
    main()
