import { expect } from 'chai';
import { Progress, formatDuration } from '@deepspike/train';

/** A fake terminal stream collecting what the bar writes. */
function fakeStream(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY: tty,
    columns: 200,
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
    cursorTo() {
      return true;
    },
    clearLine() {
      return true;
    },
    moveCursor() {
      return true;
    },
    on() {
      return s;
    },
    removeListener() {
      return s;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  const values = { epoch: 0, epochs: 2, step: 5, loss: 0.5, accuracy: 0.5, samplesPerSec: 123.4 };

  it('draws a bar with epoch, step, loss, accuracy, samples/s and ETA on a TTY', () => {
    const stream = fakeStream(true);
    const lines: string[] = [];
    const p = new Progress('auto', 10, (l) => lines.push(l), stream);
    p.start(0, values);
    p.update(values, true);
    p.stop();
    expect(lines).to.deep.equal([]);
    expect(stream.text).to.contain('epoch 1/2');
    expect(stream.text).to.contain('step 5/10');
    expect(stream.text).to.contain('loss 0.5000');
    expect(stream.text).to.contain('acc 50.00%');
    expect(stream.text).to.contain('123.4 samples/s');
    expect(stream.text).to.contain('ETA');
  });

  it('prints plain log lines when not on a TTY', () => {
    const stream = fakeStream(false);
    const lines: string[] = [];
    let now = 0;
    const p = new Progress('auto', 10, (l) => lines.push(l), stream, () => (now += 1000));
    p.start(0, { ...values, step: 0 });
    p.update(values, true);
    p.update({ ...values, step: 6 }, false);
    p.note('epoch 1: test accuracy 99.00%');
    p.stop();
    expect(stream.text).to.equal('');
    // Steps 0 -> 5 in 1 s: 5 steps left take 1 s.
    expect(lines).to.deep.equal(['epoch 1/2 step 5/10 loss 0.5000 acc 50.00% 123.4 samples/s ETA 1.0s', 'epoch 1: test accuracy 99.00%']);
  });

  it('puts the ETA, measured over the last 50 steps, in plain log lines', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new Progress('log', 200, (l) => lines.push(l), fakeStream(false), () => now);
    p.start(0, { ...values, step: 0 });
    // 2 s per step for 60 steps, then 1 s per step: after step 120 the window holds only the faster pace.
    for (let step = 1; step <= 120; step++) {
      now += step <= 60 ? 2000 : 1000;
      p.update({ ...values, step }, step === 10 || step === 120);
    }
    p.stop();
    expect(lines).to.deep.equal([
      'epoch 1/2 step 10/200 loss 0.5000 acc 50.00% 123.4 samples/s ETA 6m 20s', // 190 steps × 2 s
      'epoch 1/2 step 120/200 loss 0.5000 acc 50.00% 123.4 samples/s ETA 1m 20s', // 80 steps × 1 s
    ]);
  });

  it('says ETA - until the pace is known', () => {
    const lines: string[] = [];
    const p = new Progress('log', 10, (l) => lines.push(l), fakeStream(false), () => 0);
    p.start(5, values);
    p.update(values, true);
    expect(lines).to.deep.equal(['epoch 1/2 step 5/10 loss 0.5000 acc 50.00% 123.4 samples/s ETA -']);
  });

  it('formats durations', () => {
    expect(formatDuration(6.14)).to.equal('6.1s');
    expect(formatDuration(245)).to.equal('4m 05s');
    expect(formatDuration(3723)).to.equal('1h 02m 03s');
    // Carries instead of printing 60: 12m 59.6s is 13m 00s, 59.97 s is 1m 00s, 1h 59m 59.5s is 2h 00m 00s.
    expect(formatDuration(779.6)).to.equal('13m 00s');
    expect(formatDuration(59.97)).to.equal('1m 00s');
    expect(formatDuration(7199.5)).to.equal('2h 00m 00s');
  });
});
