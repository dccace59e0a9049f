// The page's script: no framework and no network beyond this service.
//
// Colours: for a two-label model, green means "towards the second label" and red "towards the first"
// (for IMDB, pos and neg), whichever label was predicted, so that a word keeps its colour from one
// review to the next. With more labels, green is "towards the predicted label".

const $ = (id) => document.getElementById(id);
const review = $('review');
const button = $('predict');
const status = $('status');

/** Labels of the model, from GET /v1/model. */
let labels = [];

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.message || `${response.status} ${response.statusText}`);
  return json;
}

/** +1 when weight towards `label` means towards green, -1 when towards red. */
function orientation(label) {
  if (labels.length !== 2) return 1;
  return label === labels[1] ? 1 : -1;
}

function percent(p) {
  return `${(100 * p).toFixed(1)}%`;
}

async function showModel() {
  try {
    const manifest = await call('GET', 'v1/model');
    labels = manifest.labels;
    const trained = manifest.training?.createdAt?.slice(0, 10);
    const accuracy = manifest.metrics?.accuracy;
    $('model').textContent =
      `Model: ${manifest.kind}, labels ${labels.join(' / ')}` +
      (trained ? `, trained ${trained}` : '') +
      (typeof accuracy === 'number' ? `, test accuracy ${percent(accuracy)}` : '');
  } catch (error) {
    $('model').textContent = `The model could not be described: ${error.message}`;
  }
}

function showPrediction({ label, score }) {
  const side = orientation(label) > 0 ? 'towards' : 'against';
  const name = $('label');
  name.textContent = label;
  name.className = side;
  $('score').textContent = percent(score);
  const fill = $('bar-fill');
  fill.style.width = percent(score);
  fill.className = side;
  const bar = fill.parentElement;
  bar.setAttribute('aria-valuenow', String(score));
  bar.title = `${label}: ${percent(score)}`;
  $('result').hidden = false;
}

function swatch(rgbVariable, text) {
  const span = document.createElement('span');
  span.className = 'swatch';
  span.style.background = `rgba(var(${rgbVariable}), 0.45)`;
  span.textContent = text;
  return span;
}

function showExplanation(text, explanation) {
  const sign = orientation(explanation.label);
  const largest = Math.max(1e-12, ...explanation.words.map((w) => Math.abs(w.weight)));

  const legend = $('legend');
  legend.replaceChildren();
  if (labels.length === 2) {
    legend.append(
      swatch('--against', `towards ${labels[0]}`),
      ' ',
      swatch('--towards', `towards ${labels[1]}`),
    );
  } else {
    legend.append(
      swatch('--towards', `towards ${explanation.label}`),
      ' ',
      swatch('--against', 'against it'),
    );
  }
  legend.append(' — the stronger the colour, the more the word counted.');

  const out = $('explained');
  out.replaceChildren();
  let at = 0;
  for (const word of explanation.words) {
    if (word.start > at) out.append(text.slice(at, word.start));
    const span = document.createElement('span');
    span.className = 'word';
    span.textContent = text.slice(word.start, word.end);
    const value = (sign * word.weight) / largest;
    const tint = Math.abs(value) < 0.02 ? 'none' : value > 0 ? 'towards' : 'against';
    span.dataset.tint = tint;
    span.dataset.weight = String(word.weight);
    if (tint !== 'none') {
      const rgb = tint === 'towards' ? '--towards' : '--against';
      span.style.background = `rgba(var(${rgb}), ${(0.12 + 0.6 * Math.abs(value)).toFixed(3)})`;
    }
    span.title = `${word.weight >= 0 ? '+' : ''}${word.weight.toPrecision(3)} towards ${explanation.label}`;
    out.append(span);
    at = word.end;
  }
  if (at < text.length) out.append(text.slice(at));
  $('method').textContent =
    explanation.method === 'occlusion'
      ? 'Each word is weighed by how much the probability drops when that word is removed.'
      : "Each word gets its share of the weights of the model's n-grams that contain it.";
}

async function predict() {
  const text = review.value;
  if (text.trim() === '') {
    status.textContent = 'Type a review first.';
    status.className = 'error';
    return;
  }
  button.disabled = true;
  status.textContent = 'Scoring…';
  status.className = '';
  try {
    await modelReady;
    const prediction = call('POST', 'v1/predict', { texts: [text] }).then(({ predictions }) =>
      showPrediction(predictions[0]),
    );
    const explanation = call('POST', 'v1/explain', { text }).then((e) => showExplanation(text, e));
    await Promise.all([prediction, explanation]);
    status.textContent = '';
  } catch (error) {
    status.textContent = error.message;
    status.className = 'error';
  } finally {
    button.disabled = false;
  }
}

button.addEventListener('click', predict);
review.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) predict();
});
for (const example of document.querySelectorAll('.example')) {
  example.addEventListener('click', () => {
    review.value = example.textContent.trim().replace(/\s+/g, ' ');
    predict();
  });
}
const modelReady = showModel();
