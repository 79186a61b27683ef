import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../shared/documents/index.js';

const seed = readFileSync(new URL('../../fixtures/seed/000_cf883fa431da65ec.txt', import.meta.url), 'utf8');

const policy = [
  '银川市关于做好政府信息公开工作的通知',
  '根据《关于印发银川市2019年政务公开工作要点的通知》（银政办发〔2019〕76号），制定本通知。',
  '一、工作要求',
  '（一）行政机关应当自收到申请之日起20个工作日内予以答复。',
  '（二）专项资金共计1500万元，其中数据平台建设500万元。',
  '（三）政务公开满意度达到95%以上，开放数据集达到300个。',
  '1.本通知自2019年7月19日起施行，有效期3年。',
  '2.每年召开专题会议不少于2次，重大变动应在30日内公开。',
].join('\n');

describe('Function: checkConsistency', () => {
  it('finds nothing when the interpretation quotes the policy faithfully', () => {
    // Prepare: same facts, other wording, full-width digits, Chinese numerals, other brackets
    const interpretation = [
      '一、出台背景',
      '根据银政办发[2019]76号文件要求，我市制定了本通知。',
      '二、主要内容',
      '（一）答复时限为二十个工作日内。专项资金1500万元，即0.15亿元。',
      '（二）满意度达到９５%以上，开放数据集达到三百个。',
      '（三）本通知自2019-07-19起施行，7月19日起各单位执行，有效期三年内不变。',
      '3.会议每年不少于2次，重大变动三十日内公开。',
    ].join('\n');

    // Act
    const findings = checkConsistency(policy, interpretation);

    // Assess
    expect(findings).toEqual([]);
  });

  it.each([
    ['amount', '专项资金共计1800万元。', '1800万元', '1500万元'],
    ['date', '本通知自2019年7月20日起施行。', '2019年7月20日', '2019年7月19日'],
    ['percentage', '满意度达到90%以上。', '90%', '95%'],
    ['document-number', '依据银政办发〔2019〕77号制定。', '银政办发〔2019〕77号', '银政办发〔2019〕76号'],
    ['deadline', '应当在15个工作日内予以答复。', '15个工作日内', '20个工作日内'],
    ['figure', '开放数据集达到500个。', '500个', '300个'],
  ])('reports one misquoted %s with both excerpts', (kind, interpretation, quoted, counterpart) => {
    // Act
    const findings = checkConsistency(policy, interpretation);

    // Assess
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ kind, quoted, interpretationExcerpt: interpretation.replace(/。$/, '') });
    expect(finding?.policyExcerpt).toContain(counterpart);
    expect(finding?.message).toContain(`“${quoted}”在原文中未找到`);
    expect(finding?.message).toContain(`原文相近表述为“${counterpart}”`);
  });

  it('does not flag list ordinals, article numbers or the year of a 文号', () => {
    const interpretation =
      '一、背景\n（二）内容\n(3)要求\n4.措施\n第五条 依照第12条执行。\n依据银政办发〔2019〕76号。\n5、其他';

    expect(checkConsistency(policy, interpretation)).toEqual([]);
  });

  it('does not flag everyday words built from small Chinese numerals', () => {
    const interpretation = '实行一次性告知，明确两个责任，三个方面同步推进，做到一网通办。';

    expect(checkConsistency(policy, interpretation)).toEqual([]);
  });

  it('reports a Chinese-numeral deadline that differs from the policy', () => {
    const findings = checkConsistency(policy, '重大变动应在十五日内公开。');

    expect(findings).toMatchObject([{ kind: 'deadline', quoted: '15日内' }]);
  });

  it('treats a 文号 from another issuer with the same year and serial as different', () => {
    const findings = checkConsistency(policy, '依据国办发〔2019〕76号。');

    expect(findings).toMatchObject([{ kind: 'document-number', quoted: '国办发〔2019〕76号' }]);
  });

  it('reports each distinct misquote once', () => {
    const findings = checkConsistency(policy, '资金1800万元。再次强调，资金1800万元。');

    expect(findings).toHaveLength(1);
  });

  it('gives a null policy excerpt when the policy has nothing in common', () => {
    const findings = checkConsistency('', '资金1800万元。');

    expect(findings).toMatchObject([{ kind: 'amount', policyExcerpt: null }]);
  });

  describe('with the seed (银川市大数据产业发展服务中心2019年政务公开实施方案) as the policy', () => {
    it('accepts an interpretation that quotes it correctly', () => {
      const interpretation = [
        '《银川市大数据产业发展服务中心2019年政务公开实施方案》解读',
        '一、制定依据：根据银政办发（2019）76号和银党厅字[2018]1号文件要求制定。',
        '二、主要目标：力争年内开放数据集达到300个。',
        '三、工作要求：年度听取政务公开工作报告会议不少于两次。',
        '四、方案成文日期为2019年7月19日，7月17日印发。',
      ].join('\n');

      expect(checkConsistency(seed, interpretation)).toEqual([]);
    });

    it('reports the misquoted figure and 文号 with the seed sentences that hold the right ones', () => {
      // Prepare
      const interpretation = '力争年内开放数据集达到500个。执行银政办发〔2016〕114号文件要求。';

      // Act
      const findings = checkConsistency(seed, interpretation);

      // Assess
      expect(findings.map((finding) => [finding.kind, finding.quoted])).toEqual([
        ['figure', '500个'],
        ['document-number', '银政办发〔2016〕114号'],
      ]);
      expect(findings[0]?.policyExcerpt).toContain('开放数据集达到300个');
      expect(findings[1]?.message).toMatch(/原文相近表述为“银政办发〔2016〕11[34]号”/);
    });
  });

  it('never throws and stays fast on a 2 MB line of digits', () => {
    const digits = '0123456789'.repeat(200_000);

    const started = performance.now();
    const findings = checkConsistency(digits, `${digits}个`);

    expect(Array.isArray(findings)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
